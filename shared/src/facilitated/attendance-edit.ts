/**
 * The Attendance tab as both attendance commands write it — the report import (CLI and sidebar)
 * and the sidebar's ticks: one row per (session, e-mail), found case-insensitively; a mark a human
 * set to `excused` is never overwritten; and the derived cells computed from the attendance as the
 * command leaves it, so Attendance % and MISSED_SESSIONS never lag the marks they come from.
 */
import type { Cell } from '../cells';
import { InputError } from '../errors';
import { ATTENDANCE_TAB } from '../layout';
import type { Settings } from '../settings';
import { TableEdit } from '../table-edit';
import type { Snapshot, TabPlan } from '../workbook';
import { derivedPlan, type DerivedResult } from './derived';
import { nameKey, readAttendance, readSessions, type AttendanceMark, type SessionEntry } from './tables';

export class UnknownSessionError extends InputError {}

export function findSession(snapshot: Snapshot, id: string): SessionEntry {
  const sessions = readSessions(snapshot);
  const hit = sessions.find((s) => nameKey(s.id) === nameKey(id));
  if (!hit) {
    const known = sessions.map((s) => s.id).slice(0, 10);
    throw new UnknownSessionError(
      `--session ${id}: no such Session ID in the Sessions tab${known.length ? ` (there: ${known.join(', ')})` : ' (it has no sessions yet)'}; add the session first`,
    );
  }
  return hit;
}

const key = (sessionId: Cell, email: string) => `${nameKey(sessionId)}\u0000${email.trim().toLowerCase()}`;

export class AttendanceEdit {
  private readonly edit: TableEdit;
  private readonly rowOf = new Map<string, number>();

  constructor(snapshot: Snapshot) {
    this.edit = new TableEdit(ATTENDANCE_TAB, snapshot);
    this.edit.rows.forEach((_, i) => {
      const k = key(this.edit.get(i, 'sessionId'), this.edit.text(i, 'email'));
      if (!this.rowOf.has(k)) this.rowOf.set(k, i);
    });
  }

  /** The row's Mark as typed (lower-cased), or null when there is no row or no mark. */
  markOf(sessionId: string, email: string): AttendanceMark | null {
    const at = this.rowOf.get(key(sessionId, email));
    return at === undefined ? null : ((this.edit.text(at, 'mark').toLowerCase() || null) as AttendanceMark | null);
  }

  /** Adds the row, or sets its cells unless a human marked it `excused`. Returns whether the tab changed. */
  upsert(sessionId: string, email: string, cells: Readonly<Record<string, Cell>>): boolean {
    const at = this.rowOf.get(key(sessionId, email));
    if (at === undefined) {
      this.rowOf.set(key(sessionId, email), this.edit.append({ sessionId, email, ...cells }));
      return true;
    }
    if (this.edit.text(at, 'mark').toLowerCase() === 'excused') return false;
    let changed = false;
    for (const [k, v] of Object.entries(cells)) changed = this.edit.set(at, k, v) || changed;
    return changed;
  }

  plan(): TabPlan | null {
    return this.edit.plan();
  }

  /** The derived cells as they follow from the attendance this edit leaves. */
  derived(snapshot: Snapshot, settings: Settings, asOf: number): DerivedResult {
    const after: Snapshot = {
      ...snapshot,
      [ATTENDANCE_TAB.name]: { name: ATTENDANCE_TAB.name, header: this.edit.header, rows: this.edit.rows },
    };
    return derivedPlan(snapshot, { settings, asOf, attendance: readAttendance(after) });
  }
}
