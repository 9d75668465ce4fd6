/**
 * The slice of the Apps Script API the add-on uses. The real services must satisfy these (checked
 * below against @types/google-apps-script), and the test fakes implement exactly these, so a fake
 * cannot drift from the real signatures.
 *
 * `any` stays where @types/google-apps-script itself says `any` (cell values, chart options, enum
 * arguments): a narrower type here would stop the real services from satisfying these interfaces.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type S = GoogleAppsScript.Spreadsheet.Sheet;

export interface RangeLike {
  getValues(): any[][];
  setValues(values: any[][]): unknown;
  setNumberFormat(numberFormat: string): unknown;
  setFontWeight(fontWeight: 'bold' | 'normal' | null): unknown;
  setWrap(isWrapEnabled: boolean): unknown;
  setBackground(color: string | null): unknown;
  setBorder(
    top: boolean | null,
    left: boolean | null,
    bottom: boolean | null,
    right: boolean | null,
    vertical: boolean | null,
    horizontal: boolean | null,
  ): unknown;
  setDataValidation(rule: DataValidationLike | null): unknown;
  getRow(): number;
  getColumn(): number;
  getNumRows(): number;
  getNumColumns(): number;
  protect(): ProtectionLike;
}

export interface UserLike {
  getEmail(): string;
}

export interface ProtectionLike {
  getDescription(): string;
  setDescription(description: string): ProtectionLike;
  getProtectionType(): unknown;
  getRange(): RangeLike;
  isWarningOnly(): boolean;
  setWarningOnly(warningOnly: boolean): ProtectionLike;
  getEditors(): UserLike[];
  addEditors(emailAddresses: string[]): ProtectionLike;
  removeEditors(emailAddresses: string[]): ProtectionLike;
  canDomainEdit(): boolean;
  setDomainEdit(editable: boolean): ProtectionLike;
  remove(): void;
}

export interface DataValidationLike {
  getCriteriaType(): unknown;
}

export interface DataValidationBuilderLike {
  requireValueInList(values: string[], showDropdown: boolean): DataValidationBuilderLike;
  requireNumberBetween(start: number, end: number): DataValidationBuilderLike;
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderLike;
  build(): DataValidationLike;
}

export interface ConditionalFormatRuleLike {
  getRanges(): RangeLike[];
}

export interface ConditionalFormatRuleBuilderLike {
  setRanges(ranges: RangeLike[]): ConditionalFormatRuleBuilderLike;
  whenNumberGreaterThan(number: number): ConditionalFormatRuleBuilderLike;
  whenTextEqualTo(text: string): ConditionalFormatRuleBuilderLike;
  setFontColor(color: string | null): ConditionalFormatRuleBuilderLike;
  setBackground(color: string | null): ConditionalFormatRuleBuilderLike;
  setBold(bold: boolean | null): ConditionalFormatRuleBuilderLike;
  setGradientMinpointWithValue(color: string, type: any, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMidpointWithValue(color: string, type: any, value: string): ConditionalFormatRuleBuilderLike;
  setGradientMaxpointWithValue(color: string, type: any, value: string): ConditionalFormatRuleBuilderLike;
  build(): ConditionalFormatRuleLike;
}

export interface EmbeddedChartLike {
  getOptions(): { get(option: string): any };
}

export interface EmbeddedChartBuilderLike {
  addRange(range: RangeLike): EmbeddedChartBuilderLike;
  setChartType(type: any): EmbeddedChartBuilderLike;
  setOption(option: string, value: any): EmbeddedChartBuilderLike;
  setPosition(anchorRowPos: number, anchorColPos: number, offsetX: number, offsetY: number): EmbeddedChartBuilderLike;
  setNumHeaders(headers: number): EmbeddedChartBuilderLike;
  build(): EmbeddedChartLike;
}

export interface SheetLike {
  getName(): string;
  setName(name: string): unknown;
  getRange(row: number, column: number, numRows: number, numColumns: number): RangeLike;
  /** A1 notation; `C2:C` is open-ended: it keeps reaching the last row as rows are added. */
  getRange(a1Notation: string): RangeLike;
  getDataRange(): RangeLike;
  getLastRow(): number;
  getLastColumn(): number;
  getMaxRows(): number;
  getMaxColumns(): number;
  insertRowsAfter(afterPosition: number, howMany: number): unknown;
  insertColumnsAfter(afterPosition: number, howMany: number): unknown;
  deleteRow(rowPosition: number): unknown;
  protect(): ProtectionLike;
  getProtections(type: any): ProtectionLike[];
  clearContents(): unknown;
  setFrozenRows(rows: number): void;
  setFrozenColumns(columns: number): void;
  getFrozenRows(): number;
  getFrozenColumns(): number;
  setColumnWidth(columnPosition: number, width: number): unknown;
  getColumnWidth(columnPosition: number): number;
  getConditionalFormatRules(): ConditionalFormatRuleLike[];
  setConditionalFormatRules(rules: ConditionalFormatRuleLike[]): void;
  getCharts(): EmbeddedChartLike[];
  removeChart(chart: EmbeddedChartLike): void;
  newChart(): EmbeddedChartBuilderLike;
  insertChart(chart: EmbeddedChartLike): void;
}

export interface SpreadsheetLike {
  getSheetByName(name: string): SheetLike | null;
  insertSheet(sheetName: string): SheetLike;
  getSpreadsheetTimeZone(): string;
  toast(msg: string, title: string, timeoutSeconds: number): void;
}

export interface LockLike {
  waitLock(timeoutInMillis: number): void;
  releaseLock(): void;
}

export interface AppLike {
  newDataValidation(): DataValidationBuilderLike;
  newConditionalFormatRule(): ConditionalFormatRuleBuilderLike;
  flush(): void;
  readonly InterpolationType: { readonly NUMBER: unknown };
  readonly ProtectionType: { readonly RANGE: unknown; readonly SHEET: unknown };
}

// The real services fit these views (a compile error here means a fake could lie about the API).
type Fits<T extends U, U> = T;
export type RealChecks = [
  Fits<S, SheetLike>,
  Fits<GoogleAppsScript.Spreadsheet.Spreadsheet, SpreadsheetLike>,
  Fits<GoogleAppsScript.Spreadsheet.Range, RangeLike>,
  Fits<GoogleAppsScript.Lock.Lock, LockLike>,
  Fits<GoogleAppsScript.Spreadsheet.Protection, ProtectionLike>,
  Fits<GoogleAppsScript.Spreadsheet.SpreadsheetApp, AppLike>,
];
