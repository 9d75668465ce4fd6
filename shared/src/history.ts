/**
 * The trend: each sync keeps that as-of day's totals per school in the History tab (a second sync
 * on the same day replaces the day's rows), so a dean sees whether things improve; `mooc-desk report
 * compare` and the add-on's trend chart read it back.
 */
import { cellNumber, cellText, round, sameCell, type Row } from './cells';
import { HISTORY_TAB, SUMMARY_LABELS, headersOf, indexColumns } from './layout';
import { InputError } from './errors';
import type { SummaryTable } from './summary';
import type { TabPlan, TabSnapshot } from './workbook';

export interface HistoryPoint {
  readonly date: string;
  readonly school: string;
  readonly enrolled: number;
  readonly completed: number;
  readonly certified: number;
  readonly completionRate: number;
  readonly low: number;
  readonly lowShare: number;
  readonly late: number;
  readonly overdue: number;
}

const NUMBERS = ['enrolled', 'completed', 'certified', 'completionRate', 'low', 'lowShare', 'late', 'overdue'] as const;

/** A day's points from the `Summary by school` table (its Total row included). */
export function pointsOf(date: string, bySchool: SummaryTable): HistoryPoint[] {
  const at = (h: string) => bySchool.header.indexOf(h);
  const [enrolled, completed, certified, low, late, overdue] = [
    'Enrolled',
    'Completed',
    'Certificates',
    'Low engagement',
    'Late',
    'Overdue',
  ].map(at);
  return bySchool.rows.map((r) => {
    const n = (i: number) => cellNumber(r[i]) ?? 0;
    return {
      date,
      school: cellText(r[0]),
      enrolled: n(enrolled),
      completed: n(completed),
      certified: n(certified),
      completionRate: n(enrolled) ? round(n(completed) / n(enrolled), 4) : 0,
      low: n(low),
      lowShare: n(enrolled) ? round(n(low) / n(enrolled), 4) : 0,
      late: n(late),
      overdue: n(overdue),
    };
  });
}

/** Points as stored; rows without a `YYYY-MM-DD` date or a school are not ours and are skipped. */
export function readHistory(tab: TabSnapshot | undefined): HistoryPoint[] {
  if (!tab) return [];
  const idx = indexColumns(HISTORY_TAB, tab.header);
  const out: HistoryPoint[] = [];
  for (const r of tab.rows) {
    const date = cellText(r[idx.date] ?? null).slice(0, 10);
    const school = cellText(r[idx.school] ?? null);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !school) continue;
    const point: Record<string, unknown> = { date, school };
    for (const k of NUMBERS) point[k] = idx[k] >= 0 ? (cellNumber(r[idx[k]] ?? null) ?? 0) : 0;
    out.push(point as unknown as HistoryPoint);
  }
  return out;
}

const rowOf = (p: HistoryPoint): Row => [p.date, p.school, ...NUMBERS.map((k) => p[k])];

/**
 * Sorted by school (the Total first), then date: each school's days are one block of rows, which a
 * chart can plot as a series (addon/src/server/charts.ts). Returns undefined when the tab already
 * holds exactly this (a re-sync writes nothing).
 */
export function historyPlan(
  current: TabSnapshot | undefined,
  date: string,
  bySchool: SummaryTable,
): TabPlan | undefined {
  const points = [...readHistory(current).filter((p) => p.date !== date), ...pointsOf(date, bySchool)];
  const total = (s: string) => (s === SUMMARY_LABELS.total ? 0 : 1);
  points.sort(
    (a, b) => total(a.school) - total(b.school) || a.school.localeCompare(b.school) || a.date.localeCompare(b.date),
  );
  const header = headersOf(HISTORY_TAB);
  const rows = points.map(rowOf);
  const same =
    current &&
    current.rows.length === rows.length &&
    header.every((h, i) => current.header[i] === h) &&
    rows.every((r, i) => r.every((v, j) => sameCell(current.rows[i][j], v)));
  if (same) return undefined;
  return { tab: HISTORY_TAB.name, replace: { header, rows }, numberFormats: HISTORY_TAB.numberFormats };
}

export interface SchoolChange {
  readonly school: string;
  /** Null when the school has no row on that date (it appeared or disappeared in between). */
  readonly from: HistoryPoint | null;
  readonly to: HistoryPoint | null;
  /** `to − from` for every figure (a missing side counts as 0). */
  readonly change: Record<(typeof NUMBERS)[number], number>;
}

export interface HistoryComparison {
  readonly fromDate: string;
  readonly toDate: string;
  readonly schools: SchoolChange[];
}

/** The latest History date on or before `date`, if any. */
export function nearestDate(points: readonly HistoryPoint[], date: string): string | undefined {
  let best: string | undefined;
  for (const p of points) if (p.date <= date && (!best || p.date > best)) best = p.date;
  return best;
}

export class HistoryDateError extends InputError {}

/** Per school, the change between the nearest History dates on or before `from` and `to`. */
export function compareHistory(points: readonly HistoryPoint[], from: string, to: string): HistoryComparison {
  const fromDate = nearestDate(points, from);
  const toDate = nearestDate(points, to);
  const first = points.map((p) => p.date).sort()[0];
  if (!fromDate || !toDate) {
    const which = !fromDate ? from : to;
    throw new HistoryDateError(
      points.length
        ? `${HISTORY_TAB.name} has no date on or before ${which} (the first is ${first})`
        : `${HISTORY_TAB.name} is empty: every sync adds its as-of day; run mooc-desk sync first`,
    );
  }
  const on = (d: string) => new Map(points.filter((p) => p.date === d).map((p) => [p.school, p]));
  const a = on(fromDate);
  const b = on(toDate);
  const total = (s: string) => (s === SUMMARY_LABELS.total ? 1 : 0);
  const schools = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => total(x) - total(y) || x.localeCompare(y));
  return {
    fromDate,
    toDate,
    schools: schools.map((school) => {
      const f = a.get(school) ?? null;
      const t = b.get(school) ?? null;
      const change = Object.fromEntries(NUMBERS.map((k) => [k, round((t?.[k] ?? 0) - (f?.[k] ?? 0), 4)]));
      return { school, from: f, to: t, change: change as SchoolChange['change'] };
    }),
  };
}
