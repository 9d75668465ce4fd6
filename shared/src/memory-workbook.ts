/** The in-memory backend: the reference behaviour of the Workbook port, used by tests and the local harness. */
import type { Cell, Row } from './cells';
import { normalizeHeader, type FormatRule, type Validation, type ValidationRule } from './layout';
import { formattedRows, type StoredLook } from './look';
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
  /** The look as applied (optional: tests build tabs by hand). Widths sit on columns, like validations. */
  look?: MemoryLook;
}

interface MemoryLook {
  widths: Map<number, number>;
  frozenRows: number;
  frozenColumns: number;
  headerStyle: boolean;
  /** Data row index of the Total of the last rebuild. */
  totalRow?: number;
  /** Rows the conditional formats cover (sheet rows), as every backend lays them out. */
  formatRows: { from: number; to: number | null } | null;
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
      // Rows are shared, not copied (100k of them per sync): apply replaces a row it changes, never edits it.
      if (t) out[name] = { name, header: [...t.header], rows: t.rows.slice() } satisfies TabSnapshot;
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

  /** The look of a tab as applied (widths by current header), to compare with what other backends store. */
  look(tab: string): StoredLook {
    const t = this.tabs.get(tab);
    if (!t) throw new Error(`no tab ${tab}`);
    const look = t.look ?? newLook(0);
    const rows = look.formatRows;
    return {
      widths: Object.fromEntries(
        [...look.widths].filter(([at]) => at < t.header.length).map(([at, w]) => [t.header[at], w]),
      ),
      frozenRows: look.frozenRows,
      frozenColumns: look.frozenColumns,
      headerBold: look.headerStyle,
      headerWrap: look.headerStyle,
      totalRows: look.totalRow === undefined ? [] : [look.totalRow + 2],
      formatRows: Object.fromEntries(rows ? t.formats.map((f) => [f.column, rows]) : []),
    };
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
      tab = {
        header: [...(t.create?.header ?? [])],
        rows: [],
        formats: [],
        numberFormats: {},
        validations: new Map(),
        look: newLook(1), // the other backends freeze a new tab's header row
      };
      this.tabs.set(t.tab, tab);
    }
    if (t.replace) {
      tab.header = [...t.replace.header];
      tab.rows = t.replace.rows.map((r) => [...r]);
    }
    for (const h of t.headerUpdates ?? []) tab.header[h.col] = h.value;
    if (t.addColumns?.length) tab.header.push(...t.addColumns);
    const copied = new Set<number>();
    for (const u of t.updates ?? []) {
      if (!copied.has(u.row)) tab.rows[u.row] = [...(tab.rows[u.row] ?? [])]; // snapshots read earlier keep theirs
      copied.add(u.row);
      const row = tab.rows[u.row];
      while (row.length < u.col) row.push(null);
      row[u.col] = u.value;
    }
    for (const r of rowsToDelete(t)) tab.rows.splice(r, 1);
    for (const r of t.appends ?? []) tab.rows.push([...r]);
    applyLook(tab, t);
    if (t.formats) tab.formats = [...t.formats];
    if (t.numberFormats) tab.numberFormats = { ...t.numberFormats };
    if (t.protections) tab.protections = t.protections.map((p) => ({ ...p }));
    for (const { column, ...validation } of t.validations ?? []) {
      const at = tab.header.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
      if (at >= 0) (tab.validations ??= new Map()).set(at, validation);
    }
  }
}

function newLook(frozenRows: number): MemoryLook {
  return { widths: new Map(), frozenRows, frozenColumns: 0, headerStyle: false, formatRows: null };
}

/** Records a plan's look (and where its formats end) as the Sheets backends lay it out. */
function applyLook(tab: MemoryTab, t: TabPlan): void {
  const look = (tab.look ??= newLook(0));
  for (const [column, w] of Object.entries(t.look?.widths ?? {})) {
    const at = tab.header.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
    if (at >= 0) look.widths.set(at, w);
  }
  if (t.look?.frozenColumns !== undefined) look.frozenColumns = t.look.frozenColumns;
  if (t.look?.headerStyle) look.headerStyle = true;
  if (t.replace) look.totalRow = t.look?.totalRow && t.replace.rows.length ? t.replace.rows.length - 1 : undefined;
  if (t.formats) look.formatRows = formattedRows(t.look, t.replace?.rows.length);
}
