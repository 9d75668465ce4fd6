/**
 * Participants history as lookup maps, built once per check: exact keys (IIN, e-mail, school +
 * student ID) and birth-date buckets for the fuzzy name match. Names are normalised lazily, only
 * for the buckets a candidate hits, so 100k history rows cost one pass of cheap string work.
 */
import { cellText, type Cell, type Row } from '../cells';
import { indexColumns, PARTICIPANTS_HISTORY_TAB } from '../layout';
import type { TabSnapshot } from '../workbook';
import { normalizeEmail } from './email';
import { iinText } from './iin';
import { nameTokens } from './names';

export interface HistoryEntry {
  /** Data row index in the tab (sheet row = row + 2). */
  readonly row: number;
  readonly cohort: string;
  readonly iin: string;
  readonly email: string;
  readonly studentId: string;
  readonly school: string;
  readonly fullName: string;
}

export type MatchKey = 'IIN' | 'email' | 'student ID';

/** Bucket key for "same birth date": YYMMDD plus the century (not the sex) from the 7th digit. */
export function birthKey(iin: string): string | null {
  if (!/^\d{12}$/.test(iin)) return null;
  const c = Number(iin[6]);
  if (c < 1 || c > 6) return null;
  return `${iin.slice(0, 6)}:${(c - 1) >> 1}`;
}

export const schoolIdKey = (school: string, studentId: string): string =>
  school && studentId ? `${school.trim().toLowerCase()}\u0000${studentId.trim().toLowerCase()}` : '';

function push(map: Map<string, number[]>, key: string | null, value: number): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class HistoryIndex {
  readonly entries: HistoryEntry[] = [];
  private readonly byIin = new Map<string, number[]>();
  private readonly byEmail = new Map<string, number[]>();
  private readonly bySchoolId = new Map<string, number[]>();
  private readonly byBirth = new Map<string, number[]>();
  private readonly tokens = new Map<number, string[]>();

  constructor(tab: TabSnapshot | undefined) {
    if (!tab) return;
    const idx = indexColumns(PARTICIPANTS_HISTORY_TAB, tab.header);
    const at = (r: Row, key: string): Cell => (idx[key] >= 0 ? (r[idx[key]] ?? null) : null);
    tab.rows.forEach((r, row) => {
      const e: HistoryEntry = {
        row,
        cohort: cellText(at(r, 'cohort')),
        iin: iinText(at(r, 'iin')),
        email: normalizeEmail(at(r, 'email')),
        studentId: cellText(at(r, 'studentId')),
        school: cellText(at(r, 'school')),
        fullName: cellText(at(r, 'fullName')),
      };
      if (!e.iin && !e.email && !e.studentId && !e.fullName) return;
      const i = this.entries.push(e) - 1;
      push(this.byIin, /^\d{12}$/.test(e.iin) ? e.iin : null, i);
      push(this.byEmail, e.email || null, i);
      push(this.bySchoolId, schoolIdKey(e.school, e.studentId) || null, i);
      push(this.byBirth, birthKey(e.iin), i);
    });
  }

  /** Exact matches by IIN, else e-mail, else school + student ID (the first key that finds any). */
  exact(iin: string, email: string, school: string, studentId: string): { key: MatchKey; entries: HistoryEntry[] } | null {
    const tries: [MatchKey, Map<string, number[]>, string][] = [
      ['IIN', this.byIin, iin],
      ['email', this.byEmail, email],
      ['student ID', this.bySchoolId, schoolIdKey(school, studentId)],
    ];
    for (const [key, map, value] of tries) {
      const hits = value ? map.get(value) : undefined;
      if (hits?.length) return { key, entries: hits.map((i) => this.entries[i]) };
    }
    return null;
  }

  /** History rows with the same birth date (from the IIN). */
  sameBirth(iin: string): HistoryEntry[] {
    const key = birthKey(iin);
    return key ? (this.byBirth.get(key) ?? []).map((i) => this.entries[i]) : [];
  }

  nameTokensOf(e: HistoryEntry): string[] {
    let t = this.tokens.get(e.row);
    if (!t) this.tokens.set(e.row, (t = nameTokens(e.fullName)));
    return t;
  }
}
