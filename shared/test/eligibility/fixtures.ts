/** Test workbooks built the way a user would fill them: the template, then rows by header name. */
import type { Cell, Row } from '../../src/cells';
import { RuleError } from '../../src/rule-errors';
import { iinCheckDigit } from '../../src/iin';
import { MemoryWorkbook } from '../../src/memory-workbook';
import { templatePlan } from '../../src/sync-plan';
import type { Plan } from '../../src/workbook';

export type Rec = Record<string, Cell>;

/** A valid IIN for a birth date (YYMMDD), century/sex digit and serial; searches serials whose check digit exists. */
export function makeIin(yymmdd: string, centuryDigit: number, serial = 1): string {
  for (let s = serial; s < serial + 100; s++) {
    const first11 = `${yymmdd}${centuryDigit}${String(s).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return first11 + check;
  }
  throw new Error('no IIN');
}

export function rowOf(header: readonly string[], rec: Rec): Row {
  return header.map((h) => (h in rec ? rec[h] : null));
}

export function templateWorkbook(): MemoryWorkbook {
  const wb = new MemoryWorkbook();
  wb.apply({ tabs: templatePlan({}) });
  wb.applied.length = 0;
  return wb;
}

/** Appends records to a tab of the template by header name. */
export function fill(wb: MemoryWorkbook, tab: string, ...records: Rec[]): void {
  const t = wb.tabs.get(tab);
  if (!t) throw new Error(`no tab ${tab}`);
  for (const r of records) {
    for (const k of Object.keys(r)) if (!t.header.includes(k)) throw new Error(`tab ${tab} has no column ${k}`);
    t.rows.push(rowOf(t.header, r));
  }
}

export function setSetting(wb: MemoryWorkbook, name: string, value: Cell): void {
  const t = wb.tabs.get('Settings')!;
  const row = t.rows.find((r) => r[0] === name);
  if (row) row[1] = value;
  else t.rows.push([name, value]);
}

/** The template with admin@uni.kz as admin and one course, "python", that mentor@uni.kz mentors (`course` adds cells). */
export function pythonCourseWorkbook(course: Rec = {}): MemoryWorkbook {
  const wb = templateWorkbook();
  setSetting(wb, 'Admins', 'admin@uni.kz');
  fill(wb, 'Courses', {
    'Course slug': 'python',
    Course: 'Python',
    Discipline: 'Programming',
    Model: 'partial',
    Mentor: 'mentor@uni.kz',
    Credits: 5,
    ...course,
  });
  return wb;
}

/** Every tab as plain data, to assert that a refused request changed nothing. */
export function dump(wb: MemoryWorkbook): string {
  return JSON.stringify([...wb.tabs.entries()].map(([n, t]) => [n, t.header, t.rows]));
}

export function records(wb: MemoryWorkbook, tab: string): Rec[] {
  const t = wb.tabs.get(tab)!;
  return t.rows.map((_, i) => wb.record(tab, i));
}

/** Cells a plan writes per tab, as "Tab!row:col" → value, to assert exactly what changes. */
export function planCells(plan: Plan): { tab: string; header?: readonly string[]; updates: number; appends: number }[] {
  return plan.tabs.map((t) => ({
    tab: t.tab,
    updates: t.updates?.length ?? 0,
    appends: t.appends?.length ?? 0,
    header: t.addColumns,
  }));
}

export const NOW = Date.UTC(2026, 2, 2, 5, 30); // 2026-03-02 10:30 in Asia/Almaty (UTC+5)
export const NOW_TEXT = '2026-03-02 10:30';

/** The refusal a rule throws (fails the test when it throws nothing, rethrows anything else). */
export function refused(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
