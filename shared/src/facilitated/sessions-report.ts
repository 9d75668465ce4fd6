/**
 * The facilitated programme's report, pure: what the partners ask for at interim and final dates.
 * - Courses: per programme course (a group's `Courses`), participants vs completed vs certified,
 *   by Category and by Field, with a Total row per course. Participants are the selected members
 *   of the groups that take the course; a course someone took on their own is not counted here.
 *   As of a date: a completion (and its certificate) counts when it happened on or before it;
 *   one with no completion time counts (it cannot be placed, and leaving it out would lose it).
 * - CEFR levels: per group, how many selected participants are at each level, with no score and
 *   an invalid score counted apart, so every participant is in exactly one column.
 * - Attendance: per session, present / absent / excused and the selected members not marked.
 */
import type { Row } from '../cells';
import { CEFR_LEVELS, COURSES_TAB, headersOf, LEVELS_BY_GROUP_TAB, PROGRESS_TAB } from '../layout';
import { factsFromCells, hasCertificate, progressIndex, readCourses, rowAccessor, slugKey } from '../progress-row';
import type { Settings } from '../settings';
import type { Snapshot } from '../workbook';
import { cefrFromScore } from './cefr';
import { tallyAttendance } from './flags';
import {
  isActive,
  nameKey,
  readAttendance,
  readGroups,
  readParticipants,
  readSessions,
  type ParticipantEntry,
} from './tables';

export interface ReportTable {
  readonly name: string;
  readonly header: string[];
  readonly rows: Row[];
}

export interface SessionsReport {
  readonly courses: ReportTable;
  readonly cefr: ReportTable;
  readonly attendance: ReportTable;
}

interface Outcome {
  readonly completed: boolean;
  readonly certified: boolean;
}

/** Progress outcomes by e-mail → slug, as of `asOf`. */
function outcomes(snapshot: Snapshot, settings: Settings, asOf: number): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  const tab = snapshot[PROGRESS_TAB.name];
  if (!tab) return out;
  const idx = progressIndex(tab.header);
  for (const r of tab.rows) {
    const get = rowAccessor(idx, r);
    const facts = factsFromCells(get, settings.timeZone);
    const byThen = facts.completedAt === null || facts.completedAt <= asOf;
    out.set(
      `${String(get('email') ?? '')
        .trim()
        .toLowerCase()}\u0000${slugKey(get('slug'))}`,
      {
        completed: facts.completed && byThen,
        certified: hasCertificate(get) && byThen,
      },
    );
  }
  return out;
}

const label = (value: string) => value || '(blank)';

function coursesTable(snapshot: Snapshot, participants: readonly ParticipantEntry[], settings: Settings, asOf: number) {
  const header = ['Course slug', 'Course', 'By', 'Value', 'Participants', 'Completed', 'Certified'];
  const rows: Row[] = [];
  const groups = readGroups(snapshot);
  const catalog = readCourses(snapshot[COURSES_TAB.name]);
  const done = outcomes(snapshot, settings, asOf);
  const slugs = [...new Set(groups.flatMap((g) => g.courses))].sort();
  for (const slug of slugs) {
    const groupKeys = new Set(groups.filter((g) => g.courses.includes(slug)).map((g) => nameKey(g.name)));
    const taking = participants.filter((p) => groupKeys.has(nameKey(p.group)));
    const title = catalog.get(slug)?.course ?? '';
    const count = (people: readonly ParticipantEntry[]): Row => {
      const o = people.map((p) => done.get(`${p.email}\u0000${slug}`));
      return [people.length, o.filter((x) => x?.completed).length, o.filter((x) => x?.certified).length];
    };
    for (const by of ['Category', 'Field'] as const) {
      const key = (p: ParticipantEntry) => label(by === 'Category' ? p.category : p.field);
      for (const value of [...new Set(taking.map(key))].sort((a, b) => a.localeCompare(b)))
        rows.push([slug, title, by, value, ...count(taking.filter((p) => key(p) === value))]);
    }
    rows.push([slug, title, 'Total', '', ...count(taking)]);
  }
  return { name: 'Courses', header, rows };
}

function cefrTable(participants: readonly ParticipantEntry[]): ReportTable {
  const header = headersOf(LEVELS_BY_GROUP_TAB); // Group, A1 … C2, No score, Invalid score, Total
  const byGroup = new Map<string, { name: string; people: ParticipantEntry[] }>();
  for (const p of participants) {
    const k = nameKey(p.group);
    if (!byGroup.has(k)) byGroup.set(k, { name: label(p.group), people: [] });
    byGroup.get(k)!.people.push(p);
  }
  const line = (name: string, people: readonly ParticipantEntry[]): Row => {
    const results = people.map((p) => cefrFromScore(p.score));
    return [
      name,
      ...CEFR_LEVELS.map((l) => results.filter((r) => r.kind === 'level' && r.level === l).length),
      results.filter((r) => r.kind === 'none').length,
      results.filter((r) => r.kind === 'invalid').length,
      people.length,
    ];
  };
  const groups = [...byGroup.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: 'CEFR levels',
    header,
    rows: [...groups.map((g) => line(g.name, g.people)), line('Total', participants)],
  };
}

function attendanceTable(snapshot: Snapshot, participants: readonly ParticipantEntry[]): ReportTable {
  const header = [
    'Session ID',
    'Group',
    'Date',
    'Mode',
    'Present',
    'Absent',
    'Excused',
    'Not marked',
    'Attendance rate',
  ];
  const marks = readAttendance(snapshot);
  const rows = readSessions(snapshot).map((s): Row => {
    const mine = marks.filter((m) => nameKey(m.sessionId) === nameKey(s.id));
    const t = tallyAttendance(mine.map((m) => m.mark));
    const marked = new Set(mine.filter((m) => m.mark).map((m) => m.email));
    const notMarked = participants.filter((p) => nameKey(p.group) === nameKey(s.group) && !marked.has(p.email)).length;
    return [s.id, s.group, s.date, s.mode, t.present, t.absent, t.excused, notMarked, t.rate];
  });
  return { name: 'Attendance', header, rows };
}

export function sessionsReport(snapshot: Snapshot, settings: Settings, asOf: number): SessionsReport {
  const selected = readParticipants(snapshot).filter(isActive);
  return {
    courses: coursesTable(snapshot, selected, settings, asOf),
    cefr: cefrTable(selected),
    attendance: attendanceTable(snapshot, selected),
  };
}
