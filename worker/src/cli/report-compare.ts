/** `mooc-desk report compare --workbook F.xlsx --from DATE --to DATE [--json]`: the trend per school from History. */
import { compareHistory, readHistory, type HistoryPoint, type SchoolChange } from '../../../shared/src/history';
import { HISTORY_TAB } from '../../../shared/src/layout';
import { parseCalendarDate } from '../../../shared/src/time';
import { readSnapshot } from './admin-support';
import { CliError, EXIT, print, type CliIo } from './io';

export const COMPARE_USAGE = 'mooc-desk report compare --workbook FILE.xlsx --from YYYY-MM-DD --to YYYY-MM-DD [--json]';

function dateFlag(value: string | undefined, flag: string): string {
  let date: string | null = null;
  try {
    date = parseCalendarDate(value ?? null);
  } catch {
    /* reported below */
  }
  if (!date)
    throw new CliError(`${flag} "${value ?? ''}" is not a date (YYYY-MM-DD)\n\nUsage: ${COMPARE_USAGE}`, EXIT.usage);
  return date;
}

export async function runCompare(
  io: CliIo,
  file: string,
  values: { from?: string; to?: string; json?: boolean },
): Promise<number> {
  const from = dateFlag(values.from, '--from');
  const to = dateFlag(values.to, '--to');
  const points = readHistory((await readSnapshot(file))[HISTORY_TAB.name]);
  const cmp = compareHistory(points, from, to); // no such dates: HistoryDateError, an InputError → exit 2
  if (values.json) return (print(io, JSON.stringify(cmp)), EXIT.ok);
  const lines = [
    `${HISTORY_TAB.name}: ${cmp.fromDate} → ${cmp.toDate} (the nearest dates on or before ${from} and ${to})`,
    ...cmp.schools.map(schoolLine),
  ];
  print(io, lines.join('\n'));
  return EXIT.ok;
}

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const signed = (n: number, unit = '') => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n)}${unit}`;

function schoolLine(s: SchoolChange): string {
  const figure = (label: string, get: (p: HistoryPoint) => number, change: number) =>
    `${label} ${s.from ? get(s.from) : '–'} → ${s.to ? get(s.to) : '–'} (${signed(change)})`;
  const rate = (label: string, get: (p: HistoryPoint) => number, change: number) =>
    `${label} ${s.from ? pct(get(s.from)) : '–'} → ${s.to ? pct(get(s.to)) : '–'} (${signed(Math.round(change * 1000) / 10, ' pp')})`;
  return [
    `  ${s.school}:`,
    figure('enrolled', (p) => p.enrolled, s.change.enrolled),
    rate('completion', (p) => p.completionRate, s.change.completionRate),
    rate('low engagement', (p) => p.lowShare, s.change.lowShare),
    figure('late', (p) => p.late, s.change.late),
    figure('overdue', (p) => p.overdue, s.change.overdue),
  ]
    .join(' · ')
    .replace(': · ', ': ');
}
