/**
 * A plan of cell changes → `spreadsheets.batchUpdate` requests. Pure: no I/O, so the size and the
 * shape of what we send are testable and benchmarkable.
 *
 * Values go as `userEnteredValue.stringValue/numberValue/boolValue`: text is stored as text, never
 * parsed into a formula, number or date (the batchUpdate equivalent of `valueInputOption: RAW`).
 * Only addressed cells are written (neighbours merged into blocks), never whole rows, so a human's
 * edit to any other cell between our read and our write survives. Appends use `appendCells`, which
 * lands below whatever is the last row *at write time* (a row a human added meanwhile is kept).
 */
import type { sheets_v4 } from 'googleapis';
import type { Cell, Row } from '../../../../shared/src/cells';
import { normalizeHeader, type FormatRule } from '../../../../shared/src/layout';
import type { CellUpdate, Plan, TabPlan } from '../../../../shared/src/workbook';

export type Request = sheets_v4.Schema$Request;
type CellData = sheets_v4.Schema$CellData;
type CfRule = sheets_v4.Schema$ConditionalFormatRule;

export interface SheetMeta {
  readonly sheetId: number;
  readonly title: string;
  rowCount: number;
  columnCount: number;
  readonly conditionalFormats: readonly CfRule[];
}

export interface BuildInput {
  readonly plan: Plan;
  /** Sheets by title, as the spreadsheet has them now. */
  readonly sheets: ReadonlyMap<string, SheetMeta>;
  /** Header rows as last read (needed for addColumns / formats on tabs the plan does not create). */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Picks ids for new sheets (we choose them so later requests in the batch can refer to them). */
  readonly newSheetId: () => number;
  /** Target size of one request, so a big write can be split between batchUpdate calls. */
  readonly maxRequestBytes?: number;
}

export interface BuildOutput {
  readonly requests: Request[];
  /** True when the requests delete conditional-format rules by index (needs fresh metadata). */
  readonly deletesByIndex: boolean;
}

/** Thrown before anything is sent: the plan cannot apply to this spreadsheet. */
export class PlanMismatchError extends Error {}

export function cellData(value: Cell | undefined): CellData {
  if (value === null || value === undefined || value === '') return {};
  if (typeof value === 'number') return Number.isFinite(value) ? { userEnteredValue: { numberValue: value } } : {};
  if (typeof value === 'boolean') return { userEnteredValue: { boolValue: value } };
  return { userEnteredValue: { stringValue: value } };
}

const rgb = (hex: string) => ({
  red: parseInt(hex.slice(0, 2), 16) / 255,
  green: parseInt(hex.slice(2, 4), 16) / 255,
  blue: parseInt(hex.slice(4, 6), 16) / 255,
});

// Same palette as the .xlsx backend, so both workbooks look alike.
const TEXT = { red: '9C0006', amber: '9C5700', green: '006100', grey: '808080' } as const;
const FILL = { red: 'FFC7CE', amber: 'FFEB9C', green: 'C6EFCE', grey: 'EDEDED' } as const;

/** One FormatRule on column `col` of `sheetId` → a Sheets conditional format rule. */
export function conditionalRule(rule: FormatRule, sheetId: number, col: number): CfRule {
  const ranges = [{ sheetId, startRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 }];
  if (rule.kind === 'colorScale') {
    return {
      ranges,
      gradientRule: {
        minpoint: { type: 'NUMBER', value: '0', color: rgb('F8696B') },
        midpoint: { type: 'NUMBER', value: '0.5', color: rgb('FFEB84') },
        maxpoint: { type: 'NUMBER', value: '1', color: rgb('63BE7B') },
      },
    };
  }
  if (rule.kind === 'redWhenPositive') {
    return {
      ranges,
      booleanRule: {
        condition: { type: 'NUMBER_GREATER', values: [{ userEnteredValue: '0' }] },
        format: { textFormat: { foregroundColor: rgb(TEXT.red), bold: true }, backgroundColor: rgb(FILL.red) },
      },
    };
  }
  return {
    ranges,
    booleanRule: {
      condition: { type: 'TEXT_EQ', values: [{ userEnteredValue: rule.equals }] },
      format: { textFormat: { foregroundColor: rgb(TEXT[rule.color]) }, backgroundColor: rgb(FILL[rule.color]) },
    },
  };
}

const r3 = (n: number | null | undefined) => Math.round((n ?? 0) * 1000) / 1000;
const colorKey = (c: sheets_v4.Schema$Color | undefined) => (c ? `${r3(c.red)}/${r3(c.green)}/${r3(c.blue)}` : '-');

/**
 * What a rule does, ignoring where: Google echoes rules back with defaults filled in and colours as
 * floats, so compare a rounded projection rather than the JSON we sent.
 */
function ruleEffect(rule: CfRule): string {
  if (rule.gradientRule) {
    const p = (x?: sheets_v4.Schema$InterpolationPoint) => (x ? `${x.type}:${x.value ?? ''}:${colorKey(x.color ?? x.colorStyle?.rgbColor ?? undefined)}` : '-');
    return `G|${p(rule.gradientRule.minpoint)}|${p(rule.gradientRule.midpoint)}|${p(rule.gradientRule.maxpoint)}`;
  }
  const b = rule.booleanRule;
  const fg = b?.format?.textFormat?.foregroundColor ?? b?.format?.textFormat?.foregroundColorStyle?.rgbColor ?? undefined;
  const bg = b?.format?.backgroundColor ?? b?.format?.backgroundColorStyle?.rgbColor ?? undefined;
  return `B|${b?.condition?.type}|${(b?.condition?.values ?? []).map((v) => v.userEnteredValue).join(',')}|${colorKey(fg)}|${colorKey(bg)}|${b?.format?.textFormat?.bold ? 1 : 0}`;
}

/** A whole column from row 2 down: the only shape of range we create. */
function ruleColumn(rule: CfRule): number | null {
  const [r, more] = rule.ranges ?? [];
  if (!r || more || r.startRowIndex !== 1 || (r.endRowIndex !== undefined && r.endRowIndex !== null)) return null;
  const c = r.startColumnIndex ?? 0;
  return r.endColumnIndex === c + 1 ? c : null;
}

function byteSize(x: unknown): number {
  return Buffer.byteLength(JSON.stringify(x));
}

/** Sorted updates → rectangular blocks: runs of neighbouring columns, stacked when rows repeat the same run. */
export function mergeUpdates(updates: readonly CellUpdate[], maxBlockBytes = 1_000_000): { row: number; col: number; rows: Cell[][] }[] {
  const sorted = [...updates].sort((a, b) => a.row - b.row || a.col - b.col);
  const runs: { row: number; col: number; values: Cell[] }[] = [];
  for (const u of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.row === u.row && last.col + last.values.length === u.col) last.values.push(u.value);
    else if (last && last.row === u.row && last.col + last.values.length - 1 === u.col) last.values[last.values.length - 1] = u.value; // same cell twice: last wins
    else runs.push({ row: u.row, col: u.col, values: [u.value] });
  }
  const blocks: { row: number; col: number; rows: Cell[][]; bytes: number }[] = [];
  for (const run of runs) {
    const b = blocks[blocks.length - 1];
    const size = byteSize(run.values) * 3; // cellData is ~3× the bare values
    if (b && b.col === run.col && b.rows[0].length === run.values.length && b.row + b.rows.length === run.row && b.bytes + size <= maxBlockBytes) {
      b.rows.push(run.values);
      b.bytes += size;
    } else blocks.push({ row: run.row, col: run.col, rows: [run.values], bytes: size });
  }
  return blocks.map(({ row, col, rows }) => ({ row, col, rows }));
}

function trimRow(row: readonly Cell[]): Cell[] {
  let n = row.length;
  while (n > 0 && (row[n - 1] === null || row[n - 1] === '' || row[n - 1] === undefined)) n--;
  return row.slice(0, n);
}

export function buildRequests(input: BuildInput): BuildOutput {
  const { plan, sheets, headers } = input;
  const maxBytes = Math.max(10_000, Math.floor((input.maxRequestBytes ?? 8_000_000) / 4));
  // Check the whole plan before building anything: a plan that cannot apply sends nothing.
  for (const t of plan.tabs) {
    if (!sheets.has(t.tab) && !t.create && !t.replace) throw new PlanMismatchError(`tab "${t.tab}" does not exist in the spreadsheet`);
  }
  const requests: Request[] = [];
  let deletesByIndex = false;
  const created = new Map<string, SheetMeta>();

  for (const t of plan.tabs) {
    let sheet = sheets.get(t.tab) ?? created.get(t.tab);
    let header: string[] | undefined = headers.get(t.tab)?.slice();
    if (!sheet) {
      const h = [...(t.create?.header ?? t.replace?.header ?? [])];
      const rowsNeeded = 1 + (t.appends?.length ?? 0) + (t.replace?.rows.length ?? 0);
      sheet = { sheetId: input.newSheetId(), title: t.tab, rowCount: Math.max(1000, rowsNeeded), columnCount: Math.max(26, h.length + (t.addColumns?.length ?? 0)), conditionalFormats: [] };
      created.set(t.tab, sheet);
      requests.push({
        addSheet: { properties: { sheetId: sheet.sheetId, title: t.tab, gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount, frozenRowCount: 1 } } },
      });
      if (!t.replace && h.length) {
        requests.push({
          updateCells: {
            start: { sheetId: sheet.sheetId, rowIndex: 0, columnIndex: 0 },
            rows: [{ values: h.map((v) => ({ ...cellData(v), userEnteredFormat: { textFormat: { bold: true } } })) }],
            fields: 'userEnteredValue,userEnteredFormat.textFormat.bold',
          },
        });
      }
      header = h;
    }
    const s = sheet;
    const grow = (rows: number, cols: number) => {
      if (rows > s.rowCount) {
        requests.push({ appendDimension: { sheetId: s.sheetId, dimension: 'ROWS', length: rows - s.rowCount } });
        s.rowCount = rows;
      }
      if (cols > s.columnCount) {
        requests.push({ appendDimension: { sheetId: s.sheetId, dimension: 'COLUMNS', length: cols - s.columnCount } });
        s.columnCount = cols;
      }
    };

    if (t.replace) {
      const all = [t.replace.header as Cell[], ...t.replace.rows];
      grow(all.length, Math.max(...all.map((r) => r.length)));
      // An open-ended range: every value in the tab not covered by `rows` is cleared (no stale rows).
      requests.push({
        updateCells: { range: { sheetId: s.sheetId, startRowIndex: 0, startColumnIndex: 0 }, rows: all.map((r) => ({ values: r.map(cellData) })), fields: 'userEnteredValue' },
      });
      header = [...t.replace.header];
    }

    if (t.addColumns?.length) {
      if (!header) throw new PlanMismatchError(`cannot add columns to "${t.tab}": its header was not read`);
      grow(1, header.length + t.addColumns.length);
      requests.push({
        updateCells: { start: { sheetId: s.sheetId, rowIndex: 0, columnIndex: header.length }, rows: [{ values: t.addColumns.map(cellData) }], fields: 'userEnteredValue' },
      });
      header = [...header, ...t.addColumns];
    }

    if (t.updates?.length) {
      const width = header?.length ?? Infinity;
      for (const u of t.updates) {
        if (u.row < 0 || u.col < 0 || u.col >= width) throw new PlanMismatchError(`update outside tab "${t.tab}": row ${u.row}, col ${u.col}`);
      }
      const blocks = mergeUpdates(t.updates, maxBytes);
      grow(Math.max(...blocks.map((b) => b.row + b.rows.length)) + 1, Math.max(...blocks.map((b) => b.col + b.rows[0].length)));
      for (const b of blocks) {
        requests.push({
          updateCells: { start: { sheetId: s.sheetId, rowIndex: b.row + 1, columnIndex: b.col }, rows: b.rows.map((r) => ({ values: r.map(cellData) })), fields: 'userEnteredValue' },
        });
      }
    }

    if (t.appends?.length) {
      grow(0, Math.max(...t.appends.map((r) => r.length)));
      // Several appendCells of bounded size, so a large first import can be split across calls.
      let chunk: sheets_v4.Schema$RowData[] = [];
      let bytes = 0;
      const flush = () => {
        if (chunk.length) requests.push({ appendCells: { sheetId: s.sheetId, rows: chunk, fields: 'userEnteredValue' } });
        chunk = [];
        bytes = 0;
      };
      for (const r of t.appends as readonly Row[]) {
        const values = trimRow(r).map(cellData);
        const size = byteSize(values);
        if (bytes + size > maxBytes) flush();
        chunk.push({ values });
        bytes += size;
      }
      flush();
    }

    const colOf = (name: string) => (header ?? []).findIndex((h) => normalizeHeader(h) === normalizeHeader(name));

    for (const [name, pattern] of Object.entries(t.numberFormats ?? {})) {
      const c = colOf(name);
      if (c < 0) continue;
      requests.push({
        repeatCell: {
          range: { sheetId: s.sheetId, startRowIndex: 1, startColumnIndex: c, endColumnIndex: c + 1 },
          cell: { userEnteredFormat: { numberFormat: { type: pattern.includes('%') ? 'PERCENT' : 'NUMBER', pattern } } },
          fields: 'userEnteredFormat.numberFormat',
        },
      });
    }

    for (const v of t.validations ?? []) {
      const c = colOf(v.column);
      if (c < 0) continue;
      const condition =
        v.kind === 'list'
          ? { type: 'ONE_OF_LIST', values: v.values.map((x) => ({ userEnteredValue: x })) }
          : { type: 'NUMBER_BETWEEN', values: [{ userEnteredValue: String(v.min) }, { userEnteredValue: String(v.max) }] };
      requests.push({
        setDataValidation: {
          range: { sheetId: s.sheetId, startRowIndex: 1, startColumnIndex: c, endColumnIndex: c + 1 },
          rule: { condition, strict: true, showCustomUi: v.kind === 'list' },
        },
      });
    }

    if (t.formats) {
      const desired = t.formats.map((f) => ({ f, c: colOf(f.column) })).filter((x) => x.c >= 0).map((x) => conditionalRule(x.f, s.sheetId, x.c));
      const effects = new Set(desired.map(ruleEffect));
      // Ours: whole-column rules with one of our effects. A human's own rules are left alone.
      const ours = s.conditionalFormats.map((r, i) => ({ r, i, c: ruleColumn(r) })).filter((x) => x.c !== null && effects.has(ruleEffect(x.r)));
      const key = (effect: string, c: number | null) => `${c}|${effect}`;
      const have = ours.map((x) => key(ruleEffect(x.r), x.c)).sort();
      const want = desired.map((r) => key(ruleEffect(r), ruleColumn(r))).sort();
      if (have.join('\n') !== want.join('\n')) {
        for (const x of [...ours].sort((a, b) => b.i - a.i)) {
          requests.push({ deleteConditionalFormatRule: { sheetId: s.sheetId, index: x.i } });
          deletesByIndex = true;
        }
        desired.forEach((rule, i) => requests.push({ addConditionalFormatRule: { rule, index: i } }));
      }
    }
  }
  return { requests, deletesByIndex };
}

/** Packs requests, in order, into bodies of at most `maxBytes` (one request never splits). */
export function packRequests(requests: readonly Request[], maxBytes: number): Request[][] {
  const batches: Request[][] = [];
  let current: Request[] = [];
  let bytes = 0;
  for (const r of requests) {
    const size = byteSize(r) + 1;
    if (current.length && bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
