/**
 * A hand-written SpreadsheetApp fake, typed against the add-on's views of @types/google-apps-script
 * (src/server/gas-types.ts, which the real classes are checked to satisfy). It copies the
 * behaviour the adapter must cope with:
 *  - setValues parses strings like typed input (USER_ENTERED): `=..` is a formula, `00123` and
 *    `+1` are numbers, `2020-01-01` is a Date, `TRUE` a boolean, `50%` 0.5; a leading `'` keeps
 *    the rest as text and is not returned by getValues; number format `@` stores text as is.
 *  - a new sheet is 1000 × 26 and a range outside the grid throws; data must match the range size.
 *  - getValues returns '' for blanks and Date objects for dates.
 * It also counts the calls that cost a round trip in the real service (for the time estimate).
 */
import { zonedTimeToUtc } from '../../../shared/src/time';
import type {
  AppLike,
  ConditionalFormatRuleBuilderLike,
  ConditionalFormatRuleLike,
  DataValidationBuilderLike,
  DataValidationLike,
  EmbeddedChartBuilderLike,
  EmbeddedChartLike,
  LockLike,
  ProtectionLike,
  RangeLike,
  UserLike,
  SheetLike,
  SpreadsheetLike,
} from '../../src/server/gas-types';

export type Stored = string | number | boolean | Date;

interface CellState {
  value: Stored;
  formula?: string;
}

export interface CallStats {
  getValues: number;
  setValues: number;
  cellsRead: number;
  cellsWritten: number;
  other: number;
}

const OUTSIDE = 'Exception: The coordinates of the range are outside the dimensions of the sheet.';

/**
 * The value of an arithmetic expression made of the characters `[\d+\-*\/. ()]`, read as a
 * JavaScript expression would be (`**` included, a leading-zero literal like `01` refused as in
 * strict mode), without eval; throws where JavaScript would not give a number.
 */
function arithmetic(body: string): number {
  const tokens = body.match(/\s+|\d+\.?\d*|\.\d+|\*\*|\+\+|--|\/[/*]|[+\-*/()]|./g) ?? [];
  const list = tokens.filter((t) => !/^\s+$/.test(t));
  let i = 0;
  const fail = (): never => {
    throw new Error(`not arithmetic: ${body}`);
  };
  const primary = (): number => {
    const t = list[i++];
    if (t === '(') {
      const v = additive();
      if (list[i++] !== ')') fail();
      return v;
    }
    if (t === undefined || !/^(\d|\.\d)/.test(t) || /^0\d/.test(t)) return fail();
    return Number(t);
  };
  const unary = (): { value: number; unary: boolean } => {
    const t = list[i];
    if (t === '+' || t === '-') {
      i++;
      const v = unary().value;
      return { value: t === '-' ? -v : +v, unary: true };
    }
    return { value: primary(), unary: false };
  };
  const exponent = (): number => {
    const left = unary();
    if (list[i] !== '**') return left.value;
    if (left.unary) fail(); // `-2 ** 2` is a SyntaxError in JavaScript
    i++;
    return left.value ** exponent();
  };
  const multiplicative = (): number => {
    let v = exponent();
    while (list[i] === '*' || list[i] === '/') v = list[i++] === '*' ? v * exponent() : v / exponent();
    return v;
  };
  const additive = (): number => {
    let v = multiplicative();
    while (list[i] === '+' || list[i] === '-') v = list[i++] === '+' ? v + multiplicative() : v - multiplicative();
    return v;
  };
  const v = additive();
  if (i !== list.length) fail();
  return v;
}

/** Evaluates the arithmetic formulas tests use (`=1+1`, `-2+3`); anything else is an error value. */
function evaluate(formula: string): Stored {
  const body = formula.replace(/^=/, '');
  if (/^[\d+\-*/. ()]+$/.test(body)) {
    try {
      // Wrapped in parentheses as the former `Function("return (" + body + ")")` evaluation had it.
      const v = arithmetic(`(${body})`);
      if (Number.isFinite(v)) return v;
    } catch {
      /* falls through */
    }
  }
  return '#NAME?';
}

/** What Sheets makes of a string written with setValues (USER_ENTERED parsing). */
export function parseTyped(text: string, timeZone: string, numberFormat: string | undefined): CellState {
  if (numberFormat === '@') return { value: text };
  if (text.startsWith("'")) return { value: text.slice(1) };
  if (text.startsWith('=')) return { value: evaluate(text), formula: text };
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { value: Number(t) };
  if (/^[+-]/.test(t)) return { value: evaluate(`=${t}`), formula: `=${t}` };
  if (t.startsWith('@')) return { value: '#NAME?', formula: `=${t.slice(1)}` };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  if (/^-?\d+(\.\d+)?%$/.test(t)) return { value: Number(t.slice(0, -1)) / 100 };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m)
    return {
      value: new Date(
        zonedTimeToUtc(
          { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) },
          timeZone,
        ),
      ),
    };
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (m)
    return {
      value: new Date(
        zonedTimeToUtc({ year: +m[3], month: +m[2], day: +m[1], hour: 0, minute: 0, second: 0 }, timeZone),
      ),
    };
  return { value: text };
}

export class FakeRange implements RangeLike {
  constructor(
    readonly sheet: FakeSheet,
    private readonly row: number,
    private readonly col: number,
    private readonly rows: number,
    private readonly cols: number,
    /** `C2:C`: reaches the last row of the grid however many rows are added later. */
    readonly openEnded = false,
  ) {
    if (rows < 1) throw new Error('Exception: The number of rows in the range must be at least 1.');
    if (cols < 1) throw new Error('Exception: The number of columns in the range must be at least 1.');
    if (row < 1 || col < 1 || row + rows - 1 > sheet.maxRows || col + cols - 1 > sheet.maxCols)
      throw new Error(OUTSIDE);
  }

  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.col;
  }
  getNumRows(): number {
    return this.openEnded ? this.sheet.maxRows - this.row + 1 : this.rows;
  }
  getNumColumns(): number {
    return this.cols;
  }

  getValues(): Stored[][] {
    const s = this.sheet.spreadsheet.stats;
    s.getValues++;
    s.cellsRead += this.rows * this.cols;
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from({ length: this.cols }, (_, c) => {
        const v = this.sheet.cell(this.row + r, this.col + c)?.value ?? '';
        return v instanceof Date ? new Date(v.getTime()) : v;
      }),
    );
  }

  setValues(values: unknown[][]): FakeRange {
    if (values.length !== this.rows)
      throw new Error(
        `Exception: The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${this.rows}.`,
      );
    for (const r of values) {
      if (r.length !== this.cols)
        throw new Error(
          `Exception: The number of columns in the data does not match the number of columns in the range. The data has ${r.length} but the range has ${this.cols}.`,
        );
    }
    const s = this.sheet.spreadsheet.stats;
    s.setValues++;
    s.cellsWritten += this.rows * this.cols;
    const tz = this.sheet.spreadsheet.getSpreadsheetTimeZone();
    values.forEach((r, i) =>
      r.forEach((v: unknown, j) => {
        const row = this.row + i;
        const col = this.col + j;
        let state: CellState;
        if (v === null || v === undefined || v === '') state = { value: '' };
        else if (typeof v === 'string') state = parseTyped(v, tz, this.sheet.numberFormat(row, col));
        else if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) state = { value: v };
        else
          throw new Error(
            `Exception: unsupported value ${Object.prototype.toString.call(v)} at row ${row}, column ${col}`,
          );
        this.sheet.put(row, col, state);
      }),
    );
    return this;
  }

  setNumberFormat(numberFormat: string): FakeRange {
    this.sheet.spreadsheet.stats.other++;
    for (let c = this.col; c < this.col + this.cols; c++)
      this.sheet.columnFormats.push({
        col: c,
        fromRow: this.row,
        toRow: this.row + this.rows - 1,
        format: numberFormat,
      });
    return this;
  }

  setFontWeight(fontWeight: 'bold' | 'normal' | null): FakeRange {
    return this.style({ bold: fontWeight === 'bold' });
  }

  setWrap(isWrapEnabled: boolean): FakeRange {
    return this.style({ wrap: isWrapEnabled });
  }

  setBackground(color: string | null): FakeRange {
    return this.style({ background: color });
  }

  /** Each argument: true draws, false removes, null leaves alone; `horizontal` is the lines between the rows. */
  setBorder(
    top: boolean | null,
    _left: boolean | null,
    _bottom: boolean | null,
    _right: boolean | null,
    _vertical: boolean | null,
    horizontal: boolean | null,
  ): FakeRange {
    this.sheet.spreadsheet.stats.other++;
    const set = (row: number, on: boolean | null) => {
      if (on !== null) this.sheet.rowStyles.set(row, { ...this.sheet.rowStyles.get(row), borderTop: on });
    };
    set(this.row, top);
    for (let r = this.row + 1; r < this.row + this.getNumRows(); r++) set(r, horizontal);
    return this;
  }

  /** Row formats, kept per row (the fake's ranges that format span whole header or table rows). */
  private style(patch: RowStyle): FakeRange {
    this.sheet.spreadsheet.stats.other++;
    for (let r = this.row; r < this.row + this.getNumRows(); r++)
      this.sheet.rowStyles.set(r, { ...this.sheet.rowStyles.get(r), ...patch });
    return this;
  }

  setDataValidation(rule: DataValidationLike | null): FakeRange {
    this.sheet.spreadsheet.stats.other++;
    this.sheet.validations.push({ range: this, rule: rule as FakeValidation | null });
    return this;
  }

  /** Protects this range: a RANGE protection whose editors start as the effective user and the owner, as in Sheets. */
  protect(): FakeProtection {
    const p = new FakeProtection(this.sheet, 'RANGE', this);
    this.sheet.protections.push(p);
    return p;
  }

  /** A1 notation, for assertions. */
  a1(): string {
    const letter = (i: number) => {
      let s = '';
      for (let n = i; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
      return s;
    };
    const end = this.openEnded ? '' : String(this.row + this.rows - 1);
    return `${letter(this.col)}${this.row}:${letter(this.col + this.cols - 1)}${end}`;
  }
}

export interface RowStyle {
  bold?: boolean;
  wrap?: boolean;
  background?: string | null;
  borderTop?: boolean;
}

/** `B2`, `B2:D10`, `C2:C` (open-ended) → 1-based row, column, size. */
function parseA1(a1: string): { row: number; col: number; rows: number; cols: number; open: boolean } {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+)?)?$/.exec(a1.trim().toUpperCase());
  if (!m) throw new Error(`Exception: Range not found (${a1})`);
  const col = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const c0 = col(m[1]);
  const c1 = m[3] ? col(m[3]) : c0;
  const r0 = Number(m[2]);
  const open = !!m[3] && m[4] === undefined;
  return { row: r0, col: c0, rows: open ? 1 : Number(m[4] ?? r0) - r0 + 1, cols: c1 - c0 + 1, open };
}

export interface FakeValidation extends DataValidationLike {
  readonly kind: 'list' | 'number';
  readonly values?: string[];
  readonly min?: number;
  readonly max?: number;
  readonly allowInvalid: boolean;
}

/**
 * A Protection as Sheets keeps it: description, warning-only, editors (the owner can never be
 * removed), domain edit, and removal. Every call is recorded for assertions.
 */
export class FakeProtection implements ProtectionLike {
  description = '';
  warningOnly = false;
  domainEdit = true;
  removed = false;
  readonly editors = new Set<string>();
  readonly log: string[] = [];

  constructor(
    readonly sheet: FakeSheet,
    readonly type: 'RANGE' | 'SHEET',
    private readonly range: FakeRange,
  ) {
    const ss = sheet.spreadsheet;
    this.editors.add(ss.owner);
    if (ss.effectiveUser) this.editors.add(ss.effectiveUser);
    ss.stats.other++;
  }
  getDescription(): string {
    return this.description;
  }
  setDescription(description: string): FakeProtection {
    this.log.push(`setDescription(${description})`);
    this.description = description;
    return this;
  }
  getProtectionType(): unknown {
    return this.type;
  }
  getRange(): FakeRange {
    return this.range;
  }
  isWarningOnly(): boolean {
    return this.warningOnly;
  }
  setWarningOnly(warningOnly: boolean): FakeProtection {
    this.log.push(`setWarningOnly(${warningOnly})`);
    this.warningOnly = warningOnly;
    return this;
  }
  getEditors(): UserLike[] {
    return [...this.editors].map((e) => ({ getEmail: () => e }));
  }
  addEditors(emailAddresses: string[]): FakeProtection {
    this.log.push(`addEditors(${emailAddresses.join(',')})`);
    for (const e of emailAddresses) this.editors.add(e.toLowerCase());
    return this;
  }
  removeEditors(emailAddresses: string[]): FakeProtection {
    this.log.push(`removeEditors(${emailAddresses.join(',')})`);
    for (const e of emailAddresses)
      if (e.toLowerCase() !== this.sheet.spreadsheet.owner) this.editors.delete(e.toLowerCase());
    return this;
  }
  canDomainEdit(): boolean {
    return this.domainEdit;
  }
  setDomainEdit(editable: boolean): FakeProtection {
    this.domainEdit = editable;
    return this;
  }
  remove(): void {
    this.log.push('remove()');
    this.removed = true;
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this);
  }
}

export class FakeConditionalRule implements ConditionalFormatRuleLike {
  constructor(readonly spec: Record<string, unknown>) {}
  getRanges(): RangeLike[] {
    return this.spec.ranges as RangeLike[];
  }
}

export class FakeChart implements EmbeddedChartLike {
  constructor(
    readonly spec: { type: unknown; ranges: FakeRange[]; options: Record<string, unknown>; position: number[] },
  ) {}
  getOptions() {
    return { get: (option: string) => this.spec.options[option] };
  }
}

export class FakeSheet implements SheetLike {
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  frozenColumns = 0;
  /** Column (1-based) → width in pixels, where set (Sheets' default is 100). */
  readonly columnWidths = new Map<number, number>();
  /** Row (1-based) → the formats set on it. */
  readonly rowStyles = new Map<number, RowStyle>();
  readonly cells: (CellState | undefined)[][] = [];
  readonly columnFormats: { col: number; fromRow: number; toRow: number; format: string }[] = [];
  readonly validations: { range: FakeRange; rule: FakeValidation | null }[] = [];
  conditionalRules: ConditionalFormatRuleLike[] = [];
  charts: FakeChart[] = [];
  protections: FakeProtection[] = [];

  constructor(
    readonly spreadsheet: FakeSpreadsheet,
    private name: string,
  ) {}

  getName(): string {
    return this.name;
  }

  setName(name: string): this {
    if (name !== this.name && this.spreadsheet.getSheetByName(name))
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    this.name = name;
    return this;
  }

  cell(row: number, col: number): CellState | undefined {
    return this.cells[row - 1]?.[col - 1];
  }

  put(row: number, col: number, state: CellState): void {
    const r = (this.cells[row - 1] ??= []);
    r[col - 1] = state.value === '' ? undefined : state;
  }

  numberFormat(row: number, col: number): string | undefined {
    let f: string | undefined;
    for (const cf of this.columnFormats) if (cf.col === col && row >= cf.fromRow && row <= cf.toRow) f = cf.format;
    return f;
  }

  /** Whether row 1 is bold (Set up, a new tab). */
  get headerBold(): boolean {
    return !!this.rowStyles.get(1)?.bold;
  }

  getRange(row: number, column: number, numRows: number, numColumns: number): FakeRange;
  getRange(a1Notation: string): FakeRange;
  getRange(rowOrA1: number | string, column?: number, numRows?: number, numColumns?: number): FakeRange {
    if (typeof rowOrA1 === 'string') {
      const r = parseA1(rowOrA1);
      return new FakeRange(this, r.row, r.col, r.open ? this.maxRows - r.row + 1 : r.rows, r.cols, r.open);
    }
    return new FakeRange(this, rowOrA1, column!, numRows!, numColumns!);
  }

  getDataRange(): FakeRange {
    return new FakeRange(this, 1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }

  getLastRow(): number {
    for (let r = this.cells.length; r > 0; r--) if (this.cells[r - 1]?.some((c) => c !== undefined)) return r;
    return 0;
  }

  getLastColumn(): number {
    let last = 0;
    for (const r of this.cells) if (r) for (let c = r.length; c > last; c--) if (r[c - 1] !== undefined) last = c;
    return last;
  }

  getMaxRows(): number {
    return this.maxRows;
  }
  getMaxColumns(): number {
    return this.maxCols;
  }

  insertRowsAfter(afterPosition: number, howMany: number): FakeSheet {
    this.spreadsheet.stats.other++;
    if (afterPosition < 1 || afterPosition > this.maxRows) throw new Error(OUTSIDE);
    this.cells.splice(afterPosition, 0, ...Array.from({ length: howMany }, () => []));
    this.maxRows += howMany;
    return this;
  }

  insertColumnsAfter(afterPosition: number, howMany: number): FakeSheet {
    this.spreadsheet.stats.other++;
    if (afterPosition < 1 || afterPosition > this.maxCols) throw new Error(OUTSIDE);
    for (const r of this.cells)
      if (r && r.length > afterPosition) r.splice(afterPosition, 0, ...new Array(howMany).fill(undefined));
    this.maxCols += howMany;
    return this;
  }

  protect(): FakeProtection {
    const p = new FakeProtection(this, 'SHEET', this.getRange(1, 1, this.maxRows, this.maxCols));
    this.protections.push(p);
    return p;
  }

  getProtections(type: unknown): FakeProtection[] {
    return this.protections.filter((p) => p.type === type);
  }

  deleteRow(rowPosition: number): FakeSheet {
    this.spreadsheet.stats.other++;
    if (rowPosition < 1 || rowPosition > this.maxRows) throw new Error(OUTSIDE);
    if (this.maxRows === 1) throw new Error('Exception: Sorry, it is not possible to delete all non-frozen rows.');
    this.cells.splice(rowPosition - 1, 1);
    this.maxRows--;
    return this;
  }

  clearContents(): FakeSheet {
    this.spreadsheet.stats.other++;
    this.cells.length = 0;
    return this;
  }

  setFrozenRows(rows: number): void {
    this.frozenRows = rows;
  }

  setFrozenColumns(columns: number): void {
    this.spreadsheet.stats.other++;
    if (columns >= this.maxCols) throw new Error("Exception: Sorry, it's not possible to freeze all columns.");
    this.frozenColumns = columns;
  }

  getFrozenRows(): number {
    return this.frozenRows;
  }

  getFrozenColumns(): number {
    return this.frozenColumns;
  }

  setColumnWidth(columnPosition: number, width: number): FakeSheet {
    this.spreadsheet.stats.other++;
    if (columnPosition < 1 || columnPosition > this.maxCols) throw new Error(OUTSIDE);
    this.columnWidths.set(columnPosition, width);
    return this;
  }

  getColumnWidth(columnPosition: number): number {
    return this.columnWidths.get(columnPosition) ?? 100;
  }

  getConditionalFormatRules(): ConditionalFormatRuleLike[] {
    return [...this.conditionalRules];
  }

  setConditionalFormatRules(rules: ConditionalFormatRuleLike[]): void {
    this.spreadsheet.stats.other++;
    this.conditionalRules = [...rules];
  }

  getCharts(): FakeChart[] {
    return [...this.charts];
  }

  removeChart(chart: EmbeddedChartLike): void {
    this.charts = this.charts.filter((c) => c !== chart);
  }

  newChart(): EmbeddedChartBuilderLike {
    const spec = {
      type: undefined as unknown,
      ranges: [] as FakeRange[],
      options: {} as Record<string, unknown>,
      position: [] as number[],
    };
    const b: EmbeddedChartBuilderLike = {
      addRange: (range) => (spec.ranges.push(range as FakeRange), b),
      setChartType: (type) => ((spec.type = type), b),
      setOption: (option, value) => ((spec.options[option] = value), b),
      setPosition: (r, c, x, y) => ((spec.position = [r, c, x, y]), b),
      setNumHeaders: (n) => ((spec.options.numHeaders = n), b),
      build: () => new FakeChart(spec),
    };
    return b;
  }

  insertChart(chart: EmbeddedChartLike): void {
    this.spreadsheet.stats.other++;
    this.charts.push(chart as FakeChart);
  }

  /** The sheet as getValues would show it, trailing blanks cut: for assertions. */
  dump(): Stored[][] {
    return this.getLastRow() ? this.getDataRange().getValues() : [];
  }

  /**
   * The validation in force on each column's row 2 (1-based column → rule): as in Sheets, a later
   * setDataValidation over a cell replaces the earlier one, and null clears it.
   */
  validationsInForce(): Map<number, FakeValidation> {
    const inForce = new Map<number, FakeValidation>();
    for (const { range, rule } of this.validations) {
      if (range.getRow() > 2 || range.getRow() + range.getNumRows() <= 2) continue;
      for (let c = range.getColumn(); c < range.getColumn() + range.getNumColumns(); c++) {
        if (rule) inForce.set(c, rule);
        else inForce.delete(c);
      }
    }
    return inForce;
  }
}

export class FakeSpreadsheet implements SpreadsheetLike {
  readonly sheets: FakeSheet[] = [];
  readonly toasts: string[] = [];
  readonly stats: CallStats = { getValues: 0, setValues: 0, cellsRead: 0, cellsWritten: 0, other: 0 };

  /** Always an editor of every protection (Sheets will not remove the owner). */
  owner = 'owner@uni.kz';
  /** Who the script runs as: a new protection starts with them as an editor. */
  effectiveUser = 'admin@uni.kz';

  constructor(private readonly timeZone = 'Asia/Almaty') {}

  getSheetByName(name: string): FakeSheet | null {
    return this.sheets.find((s) => s.getName() === name) ?? null;
  }

  insertSheet(sheetName: string): FakeSheet {
    if (this.getSheetByName(sheetName))
      throw new Error(`Exception: A sheet with the name "${sheetName}" already exists. Please enter another name.`);
    this.stats.other++;
    const sheet = new FakeSheet(this, sheetName);
    this.sheets.push(sheet);
    return sheet;
  }

  getSpreadsheetTimeZone(): string {
    return this.timeZone;
  }

  getSheets(): FakeSheet[] {
    return [...this.sheets];
  }

  toast(msg: string): void {
    this.toasts.push(msg);
  }
}

/** LockService document lock: one holder; waitLock throws after the timeout like the real one. */
export class FakeLock implements LockLike {
  held = false;
  acquisitions = 0;
  /** Set by a test to simulate another user holding the lock. */
  heldElsewhere = false;

  waitLock(timeoutInMillis: number): void {
    if (this.heldElsewhere || this.held)
      throw new Error(`Lock timeout: another process was holding the lock for too long (${timeoutInMillis} ms).`);
    this.held = true;
    this.acquisitions++;
  }

  releaseLock(): void {
    this.held = false;
  }
}

function validationBuilder(): DataValidationBuilderLike {
  const spec: { kind: 'list' | 'number'; values?: string[]; min?: number; max?: number; allowInvalid: boolean } = {
    kind: 'list',
    allowInvalid: true,
  };
  const b: DataValidationBuilderLike = {
    requireValueInList: (values) => ((spec.kind = 'list'), (spec.values = [...values]), b),
    requireNumberBetween: (min, max) => ((spec.kind = 'number'), (spec.min = min), (spec.max = max), b),
    setAllowInvalid: (allow) => ((spec.allowInvalid = allow), b),
    build: () => ({
      ...spec,
      getCriteriaType: () => (spec.kind === 'list' ? 'VALUE_IN_LIST' : 'NUMBER_BETWEEN'),
    }),
  };
  return b;
}

function conditionalBuilder(): ConditionalFormatRuleBuilderLike {
  const spec: Record<string, unknown> = {};
  const set =
    (key: string) =>
    (...args: unknown[]) => {
      spec[key] = args.length === 1 ? args[0] : args;
      return b;
    };
  const b: ConditionalFormatRuleBuilderLike = {
    setRanges: set('ranges'),
    whenNumberGreaterThan: set('numberGreaterThan'),
    whenTextEqualTo: set('textEqualTo'),
    setFontColor: set('fontColor'),
    setBackground: set('background'),
    setBold: set('bold'),
    setGradientMinpointWithValue: set('min'),
    setGradientMidpointWithValue: set('mid'),
    setGradientMaxpointWithValue: set('max'),
    build: () => new FakeConditionalRule({ ...spec }),
  };
  return b;
}

export class FakeApp implements AppLike {
  flushes = 0;
  readonly InterpolationType = { NUMBER: 'NUMBER' };
  readonly ProtectionType = { RANGE: 'RANGE', SHEET: 'SHEET' };
  newDataValidation(): DataValidationBuilderLike {
    return validationBuilder();
  }
  newConditionalFormatRule(): ConditionalFormatRuleBuilderLike {
    return conditionalBuilder();
  }
  flush(): void {
    this.flushes++;
  }
}
