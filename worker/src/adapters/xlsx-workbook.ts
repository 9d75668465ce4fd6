/**
 * The local `.xlsx` backend (exceljs). Writes are atomic: the whole workbook goes to a temp file
 * that replaces the original by rename, so a failed sync leaves the file byte-for-byte as it was
 * (./xlsx/file-io.ts: permissions kept, symlinks followed, read-only files refused).
 */
import { InputError } from '../../../shared/src/errors';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { columnLetter, type Cell, type Row } from '../../../shared/src/cells';
import type { FormatRule, ValidationRule } from '../../../shared/src/layout';
import { normalizeHeader } from '../../../shared/src/layout';
import { rowsToDelete, type Plan, type Snapshot, type TabPlan, type Workbook } from '../../../shared/src/workbook';
import { assertWritableWorkbook, removeStaleTempFiles, replaceFileAtomically } from './xlsx/file-io';
import { stderrNotice, withWorkbookLock as lockWorkbook, type LockOptions } from './xlsx/lock';

export { WorkbookLockedError } from './xlsx/lock';
export { ReadOnlyWorkbookError } from './xlsx/file-io';

const pad = (n: number) => String(n).padStart(2, '0');

/** exceljs cell value → our Cell. Formulas a human typed give their cached result. */
export function fromExcel(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const d = value;
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return d.getUTCHours() || d.getUTCMinutes() ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : date;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return fromExcel((value as ExcelJS.CellFormulaValue).result);
    if ('hyperlink' in value) return String(value.text ?? '');
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Rows below the header that get the layout's data validation in a .xlsx file. */
export const VALIDATED_ROWS = 5000;

const COLORS = { red: 'FF9C0006', amber: 'FF9C5700', green: 'FF006100', grey: 'FF808080' } as const;
const FILLS = { red: 'FFFFC7CE', amber: 'FFFFEB9C', green: 'FFC6EFCE', grey: 'FFEDEDED' } as const;

/** The workbook file is missing or is not an .xlsx: the user has to point at the right file. */
export class UnreadableWorkbookError extends InputError {}

export class XlsxWorkbook implements Workbook {
  private constructor(
    readonly file: string,
    private readonly book: ExcelJS.Workbook,
  ) {}

  /** Opens an existing file, or a new empty workbook when `create` and the file is missing. */
  static async open(file: string, options: { create?: boolean } = {}): Promise<XlsxWorkbook> {
    const book = new ExcelJS.Workbook();
    if (fs.existsSync(file)) {
      try {
        await book.xlsx.readFile(file);
      } catch (e) {
        throw new UnreadableWorkbookError(`${file}: not a readable .xlsx workbook (${(e as Error).message})`);
      }
    } else if (!options.create) {
      throw new UnreadableWorkbookError(`${file}: no such workbook`);
    }
    book.creator = book.creator || 'MOOC Desk';
    return new XlsxWorkbook(file, book);
  }

  read(tabs: readonly string[]): Snapshot {
    const out: Snapshot = {};
    for (const name of tabs) {
      const ws = this.book.getWorksheet(name);
      if (!ws) continue;
      const header: string[] = [];
      const rows: Row[] = [];
      ws.eachRow({ includeEmpty: true }, (row, n) => {
        const values = row.values as ExcelJS.CellValue[]; // 1-based, [0] unused
        const cells: Row = [];
        for (let i = 1; i < values.length; i++) cells.push(fromExcel(values[i]));
        if (n === 1) header.push(...cells.map((c) => (c === null ? '' : String(c))));
        else {
          while (rows.length < n - 2) rows.push([]);
          rows.push(cells);
        }
      });
      // Trailing blank rows are formatting leftovers, not data.
      while (rows.length && rows[rows.length - 1].every((c) => c === null || c === '')) rows.pop();
      out[name] = { name, header, rows };
    }
    return out;
  }

  listTabs(): string[] {
    return this.book.worksheets.map((ws) => ws.name);
  }

  async apply(plan: Plan): Promise<void> {
    for (const t of plan.tabs) {
      const ws = this.book.getWorksheet(t.tab);
      if (!ws && !t.create && !t.replace) throw new Error(`${this.file}: tab "${t.tab}" does not exist`);
      const rows = ws ? lastDataRow(ws) - 1 : 0;
      for (const r of t.deleteRows ?? []) {
        if (!Number.isInteger(r) || r < 0 || r >= rows)
          throw new Error(`${this.file}: cannot delete row ${r} of tab "${t.tab}": no such data row`);
      }
    }
    for (const t of plan.tabs) this.applyTab(t);
    await this.save();
  }

  /**
   * `t.protections` are ignored on purpose: a .xlsx file has no per-user protection. Excel's sheet
   * protection is a password anyone with the file can remove (or edit around in any other tool),
   * and it would stop the admins and mentors too. The file's integrity rests on who holds it and on
   * the Audit verification, not on a lock the file cannot enforce.
   */
  private applyTab(t: TabPlan): void {
    let ws = this.book.getWorksheet(t.tab);
    if (!ws) {
      ws = this.book.addWorksheet(t.tab, { views: [{ state: 'frozen', ySplit: 1 }] });
      const header = t.create?.header ?? t.replace?.header ?? [];
      writeRow(ws, 1, header);
      ws.getRow(1).font = { bold: true };
    }
    if (t.replace) {
      const last = Math.max(ws.rowCount, t.replace.rows.length + 1);
      writeRow(ws, 1, t.replace.header, true);
      ws.getRow(1).font = { bold: true };
      for (let r = 0; r < last - 1; r++) writeRow(ws, r + 2, t.replace.rows[r] ?? [], true);
    }
    const headerRow = ws.getRow(1);
    let width = headerRow.cellCount;
    for (const h of t.addColumns ?? []) {
      headerRow.getCell(++width).value = h;
    }
    for (const u of t.updates ?? []) setCell(ws.getRow(u.row + 2).getCell(u.col + 1), u.value);
    // Bottom first, so the indexes above stay as read. The file is locked while we plan: no anchors to check.
    for (const r of rowsToDelete(t)) ws.spliceRows(r + 2, 1);
    if (t.appends?.length) {
      let next = lastDataRow(ws) + 1;
      for (const r of t.appends) writeRow(ws, next++, r);
    }
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => normalizeHeader(fromExcel(v)));
    const colOf = (name: string) => header.indexOf(normalizeHeader(name));
    for (const [name, fmt] of Object.entries(t.numberFormats ?? {})) {
      const c = colOf(name);
      if (c >= 0) ws.getColumn(c + 1).numFmt = fmt;
    }
    if (t.formats) this.applyFormats(ws, t.formats, colOf);
    if (t.validations) applyValidations(ws, t.validations, colOf);
  }

  private applyFormats(ws: ExcelJS.Worksheet, rules: readonly FormatRule[], colOf: (name: string) => number): void {
    // Replace ours rather than stack copies on every sync.
    (ws as unknown as { conditionalFormattings: unknown[] }).conditionalFormattings = [];
    const lastRow = Math.max(lastDataRow(ws), 2) + 1000;
    for (const rule of rules) {
      const c = colOf(rule.column);
      if (c < 0) continue;
      const L = columnLetter(c);
      const ref = `${L}2:${L}${lastRow}`;
      if (rule.kind === 'colorScale') {
        ws.addConditionalFormatting({
          ref,
          rules: [
            {
              type: 'colorScale',
              priority: 1,
              cfvo: [
                { type: 'num', value: 0 },
                { type: 'num', value: 0.5 },
                { type: 'num', value: 1 },
              ],
              color: [{ argb: 'FFF8696B' }, { argb: 'FFFFEB84' }, { argb: 'FF63BE7B' }],
            },
          ],
        });
      } else if (rule.kind === 'redWhenPositive') {
        ws.addConditionalFormatting({
          ref,
          rules: [
            {
              type: 'cellIs',
              priority: 1,
              operator: 'greaterThan',
              formulae: ['0'],
              style: {
                font: { color: { argb: COLORS.red }, bold: true },
                fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: FILLS.red } },
              },
            },
          ],
        });
      } else {
        ws.addConditionalFormatting({
          ref,
          rules: [
            {
              type: 'containsText',
              priority: 1,
              operator: 'containsText',
              text: rule.equals,
              style: {
                font: { color: { argb: COLORS[rule.color] } },
                fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: FILLS[rule.color] } },
              },
            },
          ],
        });
      }
    }
  }

  /** Temp file beside the workbook, then rename: readers never see half a workbook. */
  private async save(): Promise<void> {
    await replaceFileAtomically(this.file, (tmp) => this.book.xlsx.writeFile(tmp));
  }
}

type DataValidationModel = Record<string, ExcelJS.DataValidation | undefined>;

/**
 * One rule per column, by range, not cell by cell. Not the whole column: exceljs expands a range
 * into one entry per cell when it reads the file back (a 1M-row range made every open take
 * seconds). A column's earlier rule (a range, or those expanded cells) is removed first, so a
 * re-apply replaces it instead of stacking a second, overlapping rule.
 */
function applyValidations(
  ws: ExcelJS.Worksheet,
  rules: readonly ValidationRule[],
  colOf: (name: string) => number,
): void {
  const validations = (ws as unknown as { dataValidations: { model: DataValidationModel } }).dataValidations;
  for (const v of rules) {
    const c = colOf(v.column);
    if (c < 0) continue;
    const L = columnLetter(c);
    for (const address of Object.keys(validations.model)) {
      if (addressColumns(address).every((letter) => letter === L)) delete validations.model[address];
    }
    validations.model[`${L}2:${L}${VALIDATED_ROWS + 1}`] =
      v.kind === 'list'
        ? {
            type: 'list',
            allowBlank: true,
            formulae: [`"${v.values.join(',')}"`],
            showErrorMessage: true,
            errorTitle: v.column,
            error: `Pick one of: ${v.values.join(', ')}`,
          }
        : {
            type: 'decimal',
            operator: 'between',
            allowBlank: true,
            formulae: [v.min, v.max],
            showErrorMessage: true,
            errorTitle: v.column,
            error: `A number from ${v.min} to ${v.max}`,
          };
  }
}

/** Column letters of an address (`D7` → [D], `D2:D5001` → [D, D]). */
function addressColumns(address: string): string[] {
  return address.split(':').map((part) => part.replace(/[^A-Z]/gi, '').toUpperCase());
}

function lastDataRow(ws: ExcelJS.Worksheet): number {
  let last = 1;
  ws.eachRow((row, n) => {
    if ((row.values as unknown[]).some((v, i) => i > 0 && v !== null && v !== undefined && v !== '')) last = n;
  });
  return last;
}

/** Text is always stored as a string cell: exceljs makes formulas only from `{ formula }` objects. */
function setCell(cell: ExcelJS.Cell, value: Cell): void {
  cell.value = value === '' ? null : value;
}

function writeRow(ws: ExcelJS.Worksheet, n: number, values: readonly Cell[], clearRest = false): void {
  const row = ws.getRow(n);
  values.forEach((v, i) => setCell(row.getCell(i + 1), v));
  if (clearRest) for (let i = values.length + 1; i <= row.cellCount; i++) row.getCell(i).value = null;
}

/**
 * Every write of a workbook runs in here: one writer at a time (./xlsx/lock.ts), a read-only
 * workbook refused before any work, and temp files a killed write left beside it removed (said
 * through `notice`, like a lock taken over).
 */
export function withWorkbookLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  return lockWorkbook(
    file,
    async () => {
      assertWritableWorkbook(file);
      const removed = removeStaleTempFiles(file);
      if (removed.length)
        (options.notice ?? stderrNotice)(
          `removed ${removed.length} temp file(s) an interrupted write left beside ${file}: ${removed.join(', ')}`,
        );
      return fn();
    },
    options,
  );
}
