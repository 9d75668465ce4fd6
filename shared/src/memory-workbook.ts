/** The in-memory backend: the reference behaviour of the Workbook port, used by tests and the local harness. */
import type { Cell, Row } from './cells';
import type { FormatRule, ValidationRule } from './layout';
import type { Plan, Snapshot, TabPlan, TabSnapshot, Workbook } from './workbook';

interface MemoryTab {
  header: string[];
  rows: Row[];
  formats: FormatRule[];
  numberFormats: Record<string, string>;
  validations?: ValidationRule[];
}

export class MemoryWorkbook implements Workbook {
  readonly tabs = new Map<string, MemoryTab>();
  /** Every plan applied, in order (tests inspect what was written). */
  readonly applied: Plan[] = [];

  constructor(initial: Record<string, { header: string[]; rows?: Row[] }> = {}) {
    for (const [name, t] of Object.entries(initial)) {
      this.tabs.set(name, { header: [...t.header], rows: (t.rows ?? []).map((r) => [...r]), formats: [], numberFormats: {}, validations: [] });
    }
  }

  read(names: readonly string[]): Snapshot {
    const out: Snapshot = {};
    for (const name of names) {
      const t = this.tabs.get(name);
      if (t) out[name] = { name, header: [...t.header], rows: t.rows.map((r) => [...r]) } satisfies TabSnapshot;
    }
    return out;
  }

  apply(plan: Plan): void {
    // Validate everything first so a bad plan changes nothing (all-or-nothing like the other backends).
    for (const t of plan.tabs) this.check(t);
    for (const t of plan.tabs) this.applyTab(t);
    this.applied.push(plan);
  }

  /** Row `row` of `tab` as header → value, for assertions. */
  record(tab: string, row: number): Record<string, Cell> {
    const t = this.tabs.get(tab);
    if (!t) throw new Error(`no tab ${tab}`);
    return Object.fromEntries(t.header.map((h, i) => [h, t.rows[row]?.[i] ?? null]));
  }

  private check(t: TabPlan): void {
    const existing = this.tabs.get(t.tab);
    if (!existing && !t.create && !t.replace) throw new Error(`tab "${t.tab}" does not exist`);
    const width = (existing?.header.length ?? t.create?.header.length ?? 0) + (t.addColumns?.length ?? 0);
    for (const u of t.updates ?? []) {
      if (u.row < 0 || u.col < 0 || u.col >= width) throw new Error(`update outside tab "${t.tab}": row ${u.row}, col ${u.col}`);
    }
  }

  private applyTab(t: TabPlan): void {
    let tab = this.tabs.get(t.tab);
    if (!tab) {
      tab = { header: [...(t.create?.header ?? [])], rows: [], formats: [], numberFormats: {}, validations: [] };
      this.tabs.set(t.tab, tab);
    }
    if (t.replace) {
      tab.header = [...t.replace.header];
      tab.rows = t.replace.rows.map((r) => [...r]);
    }
    if (t.addColumns?.length) tab.header.push(...t.addColumns);
    for (const u of t.updates ?? []) {
      const row = (tab.rows[u.row] ??= []);
      while (row.length < u.col) row.push(null);
      row[u.col] = u.value;
    }
    for (const r of t.appends ?? []) tab.rows.push([...r]);
    if (t.formats) tab.formats = [...t.formats];
    if (t.numberFormats) tab.numberFormats = { ...t.numberFormats };
    if (t.validations) tab.validations = [...t.validations];
  }
}
