/** The in-memory backend: the reference behaviour of the Workbook port, used by tests and the local harness. */
import type { Cell, Row } from './cells';
import { normalizeHeader, type FormatRule, type Validation, type ValidationRule } from './layout';
import {
  PROTECTION_PREFIX,
  protectionGrantees,
  rowsToDelete,
  type Protection,
  type Plan,
  type Snapshot,
  type TabPlan,
  type TabSnapshot,
  type Workbook,
} from './workbook';

interface MemoryTab {
  header: string[];
  rows: Row[];
  formats: FormatRule[];
  numberFormats: Record<string, string>;
  /** Data validation by column position (it sits on the column, as in a spreadsheet). Optional: tests build tabs by hand. */
  validations?: Map<number, Validation>;
  /** Our protections as last applied (the platform's own record, in Sheets). */
  protections?: Protection[];
}

/** A protection as a backend stores it: one per protected column (or the whole tab), by header. */
export interface StoredProtection {
  readonly description: string;
  /** Header of the protected column; absent for the whole tab. */
  readonly column?: string;
  /** Lower-cased, sorted; empty when warning-only. */
  readonly editors: string[];
  readonly warningOnly: boolean;
}

/** Sorted by description, then column: to compare what backends store. */
export function sortProtections(list: readonly StoredProtection[]): StoredProtection[] {
  return [...list].sort(
    (a, b) => a.description.localeCompare(b.description) || (a.column ?? '').localeCompare(b.column ?? ''),
  );
}

/** A plan's protections laid out as stored, for the header the tab has. */
export function storedProtections(
  protections: readonly Protection[],
  header: readonly string[],
  self?: string,
): StoredProtection[] {
  const out: StoredProtection[] = [];
  for (const p of protections) {
    const editors = protectionGrantees(p, self);
    const base = { description: p.description, editors, warningOnly: !!p.warningOnly };
    if (!p.columns) out.push(base);
    else
      for (const c of p.columns) {
        const at = header.findIndex((h) => normalizeHeader(h) === normalizeHeader(c));
        if (at >= 0) out.push({ ...base, column: header[at] });
      }
  }
  return sortProtections(out);
}

export class MemoryWorkbook implements Workbook {
  readonly tabs = new Map<string, MemoryTab>();
  /** Every plan applied, in order (tests inspect what was written). */
  readonly applied: Plan[] = [];

  constructor(initial: Record<string, { header: string[]; rows?: Row[] }> = {}) {
    for (const [name, t] of Object.entries(initial)) {
      this.tabs.set(name, {
        header: [...t.header],
        rows: (t.rows ?? []).map((r) => [...r]),
        formats: [],
        numberFormats: {},
        validations: new Map(),
      });
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

  listTabs(): string[] {
    return [...this.tabs.keys()];
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

  /** The data validations on a tab's columns, by their current header, left to right. */
  validations(tab: string): ValidationRule[] {
    const t = this.tabs.get(tab);
    if (!t) throw new Error(`no tab ${tab}`);
    return [...(t.validations ?? [])].sort(([a], [b]) => a - b).map(([at, v]) => ({ ...v, column: t.header[at] }));
  }

  /** Our protections on a tab, one per column, as the Sheets backends store them. */
  protections(tab: string): StoredProtection[] {
    const t = this.tabs.get(tab);
    if (!t) throw new Error(`no tab ${tab}`);
    return storedProtections(t.protections ?? [], t.header);
  }

  /** Renames a tab in place (its position among the tabs kept); nothing when `from` is gone or `to` is taken. */
  private rename(from: string, to: string): void {
    if (from === to || !this.tabs.has(from) || this.tabs.has(to)) return;
    const entries = [...this.tabs].map(([name, tab]): [string, MemoryTab] => [name === from ? to : name, tab]);
    this.tabs.clear();
    for (const [name, tab] of entries) this.tabs.set(name, tab);
  }

  private check(t: TabPlan): void {
    for (const p of t.protections ?? []) {
      if (!p.description.startsWith(PROTECTION_PREFIX))
        throw new Error(`protection "${p.description}" must start with "${PROTECTION_PREFIX}"`);
    }
    const existing = this.tabs.get(t.tab) ?? (t.renameFrom ? this.tabs.get(t.renameFrom) : undefined);
    if (!existing && !t.create && !t.replace) throw new Error(`tab "${t.tab}" does not exist`);
    for (const h of t.headerUpdates ?? []) {
      if (!existing || h.col < 0 || h.col >= existing.header.length)
        throw new Error(`header update outside tab "${t.tab}": col ${h.col}`);
    }
    const width = (existing?.header.length ?? t.create?.header.length ?? 0) + (t.addColumns?.length ?? 0);
    for (const u of t.updates ?? []) {
      if (u.row < 0 || u.col < 0 || u.col >= width)
        throw new Error(`update outside tab "${t.tab}": row ${u.row}, col ${u.col}`);
    }
    for (const r of t.deleteRows ?? []) {
      if (!Number.isInteger(r) || r < 0 || r >= (existing?.rows.length ?? 0))
        throw new Error(`cannot delete row ${r} of tab "${t.tab}": no such data row`);
    }
  }

  private applyTab(t: TabPlan): void {
    if (t.renameFrom) this.rename(t.renameFrom, t.tab);
    let tab = this.tabs.get(t.tab);
    if (!tab) {
      tab = { header: [...(t.create?.header ?? [])], rows: [], formats: [], numberFormats: {}, validations: new Map() };
      this.tabs.set(t.tab, tab);
    }
    if (t.replace) {
      tab.header = [...t.replace.header];
      tab.rows = t.replace.rows.map((r) => [...r]);
    }
    for (const h of t.headerUpdates ?? []) tab.header[h.col] = h.value;
    if (t.addColumns?.length) tab.header.push(...t.addColumns);
    for (const u of t.updates ?? []) {
      const row = (tab.rows[u.row] ??= []);
      while (row.length < u.col) row.push(null);
      row[u.col] = u.value;
    }
    for (const r of rowsToDelete(t)) tab.rows.splice(r, 1);
    for (const r of t.appends ?? []) tab.rows.push([...r]);
    if (t.formats) tab.formats = [...t.formats];
    if (t.numberFormats) tab.numberFormats = { ...t.numberFormats };
    if (t.protections) tab.protections = t.protections.map((p) => ({ ...p }));
    for (const { column, ...validation } of t.validations ?? []) {
      const at = tab.header.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
      if (at >= 0) (tab.validations ??= new Map()).set(at, validation);
    }
  }
}
