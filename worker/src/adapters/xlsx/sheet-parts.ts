/**
 * The parts of a worksheet around its cell data that a sync manages: the used range, the frozen
 * header, column widths, our conditional formats and our data validations. They are edited as an
 * element tree (saxes), so everything else there — the user's own rules, merged cells, drawings,
 * comments, page setup, extensions — is written back as it was. When none of those change, the
 * text around the cell data is kept byte for byte.
 */
import { columnLetter } from '../../../../shared/src/cells';
import type { FormatRule, ValidationRule } from '../../../../shared/src/layout';
import { normalizeHeader } from '../../../../shared/src/layout';
import { columnOf, fromBinary, toBinary } from './cell-text';
import {
  formatElements,
  isOurFormat,
  LAST_ROW,
  ourValidationColumn,
  validationElement,
  withoutColumn,
  VALIDATION_HEADROOM,
} from './formats';
import { binaryText, type ScannedSheet } from './sheet-reader';
import type { WrittenData } from './sheet-writer';
import type { Styles } from './styles';
import {
  child,
  elements,
  insertInOrder,
  localName,
  makeElement,
  parseXml,
  serializeXml,
  textOf,
  type XmlElement,
} from './xml';

/** CT_Worksheet's element order: a new element goes where the schema puts it. */
const WORKSHEET_ORDER = [
  ...['sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetCalcPr', 'sheetProtection'],
  ...['protectedRanges', 'scenarios', 'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells'],
  ...[
    'phoneticPr',
    'conditionalFormatting',
    'dataValidations',
    'hyperlinks',
    'printOptions',
    'pageMargins',
    'pageSetup',
  ],
  ...[
    'headerFooter',
    'rowBreaks',
    'colBreaks',
    'customProperties',
    'cellWatches',
    'ignoredErrors',
    'smartTags',
    'drawing',
  ],
  ...[
    'legacyDrawing',
    'legacyDrawingHF',
    'drawingHF',
    'picture',
    'oleObjects',
    'controls',
    'webPublishItems',
    'tableParts',
  ],
  'extLst',
];

export interface SheetChange {
  /** The header after the plan (for rules and widths by header). */
  readonly header: readonly string[];
  readonly formats?: readonly FormatRule[];
  /** Row of the report's Total (kept out of colour scales). */
  readonly totalRow?: number;
  readonly validations?: readonly ValidationRule[];
  /** Freeze the header row and this many columns. */
  readonly freeze?: { readonly columns: number };
  /** Column widths in characters, by header. */
  readonly widths?: Readonly<Record<string, number>>;
  /** Page setup for a tab we create: landscape, and (reports) as many pages tall as needed but one wide. */
  readonly print?: { readonly fitWidth: boolean };
}

/**
 * The whole worksheet (binary strings, in order, on demand): the text around the cell data, edited
 * as `change` asks, around `data`. The text around is settled now; only the cell data streams.
 */
export function assembleSheet(
  scan: ScannedSheet,
  data: WrittenData,
  change: SheetChange,
  styles: Styles | undefined,
): () => Iterable<string | Buffer> {
  const [before, after] = surroundings(scan, data, change, styles);
  return function* sheet() {
    yield before;
    yield* data.chunks();
    yield after;
  };
}

/** The worksheet's text before and after its cell data, edited as `change` asks. */
function surroundings(
  scan: ScannedSheet,
  data: WrittenData,
  change: SheetChange,
  styles: Styles | undefined,
): [string, string] {
  const head = binaryText(scan, 0, scan.dataStart);
  const tail = binaryText(scan, scan.dataEnd);
  const dimension = (old: string | undefined) => {
    const oldCol = old ? columnOf(old.split(':').pop()!) : 0;
    const lastCol = Math.max(oldCol, data.lastCol, change.header.length - 1, 0);
    return data.lastRow ? `A1:${columnLetter(lastCol)}${data.lastRow}` : 'A1';
  };
  const managed =
    change.formats ||
    change.validations ||
    change.freeze ||
    change.widths ||
    change.print ||
    /dataValidation|conditionalFormatting/.test(tail);
  if (!managed) {
    const re = new RegExp(`(<${scan.prefix}dimension\\s+ref=")([^"]*)"`);
    return [head.replace(re, (_, open: string, ref: string) => `${open}${dimension(ref)}"`), tail];
  }
  const placeholder = `<${scan.prefix}sheetData/>`;
  const doc = parseXml(fromBinary(head) + placeholder + fromBinary(tail), 'worksheet');
  const root = doc.root;
  const dim = child(root, 'dimension');
  if (dim) dim.attrs.ref = dimension(dim.attrs.ref);
  if (change.freeze) freeze(root, change.freeze.columns);
  if (change.widths) setWidths(root, change.header, change.widths);
  if (change.print) pageSetup(root, change.print.fitWidth);
  if (change.formats) replaceFormats(root, change, styles);
  else fitFormats(root, styles);
  fitValidations(root, change, data.lastRow);
  const xml = serializeXml(doc);
  const at = xml.indexOf(placeholder);
  return [toBinary(xml.slice(0, at)), toBinary(xml.slice(at + placeholder.length))];
}

const colOfHeader = (header: readonly string[]) => (name: string) =>
  header.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));

/**
 * A4 landscape; `fitWidth`: every column on one page width (`fitToHeight="0"`: as many pages tall as
 * needed). LibreOffice honours the fit only with `sheetPr/pageSetUpPr fitToPage`. A page setup
 * someone already made is kept.
 */
function pageSetup(root: XmlElement, fitWidth: boolean): void {
  if (child(root, 'pageSetup')) return;
  if (fitWidth) {
    let pr = child(root, 'sheetPr');
    if (!pr) insertInOrder(root, (pr = makeElement(root, 'sheetPr')), WORKSHEET_ORDER);
    let fit = child(pr, 'pageSetUpPr');
    if (!fit) pr.children.push((fit = makeElement(root, 'pageSetUpPr')));
    fit.attrs.fitToPage = '1';
  }
  if (!child(root, 'pageMargins'))
    insertInOrder(
      root,
      makeElement(root, 'pageMargins', {
        left: '0.5',
        right: '0.5',
        top: '0.6',
        bottom: '0.6',
        header: '0.3',
        footer: '0.3',
      }),
      WORKSHEET_ORDER,
    );
  const attrs: Record<string, string> = { paperSize: '9', orientation: 'landscape' };
  if (fitWidth) Object.assign(attrs, { fitToWidth: '1', fitToHeight: '0' });
  insertInOrder(root, makeElement(root, 'pageSetup', attrs), WORKSHEET_ORDER);
}

/** Header row frozen, and `columns` at the left; a view already frozen that way is left alone. */
function freeze(root: XmlElement, columns: number): void {
  let views = child(root, 'sheetViews');
  if (!views) insertInOrder(root, (views = makeElement(root, 'sheetViews')), WORKSHEET_ORDER);
  let view = child(views, 'sheetView');
  if (!view) views.children.push((view = makeElement(root, 'sheetView', { workbookViewId: '0' })));
  const pane = child(view, 'pane');
  const xSplit = columns ? String(columns) : undefined;
  if (pane && pane.attrs.state === 'frozen' && pane.attrs.ySplit === '1' && pane.attrs.xSplit === xSplit) return;
  const active = columns ? 'bottomRight' : 'bottomLeft';
  const topLeft = `${columnLetter(columns)}2`;
  view.children = view.children.filter((c) => typeof c === 'string' || !['pane', 'selection'].includes(localName(c)));
  view.children.unshift(
    makeElement(root, 'pane', {
      ...(xSplit ? { xSplit } : {}),
      ySplit: '1',
      topLeftCell: topLeft,
      activePane: active,
      state: 'frozen',
    }),
    makeElement(root, 'selection', { pane: active, activeCell: topLeft, sqref: topLeft }),
  );
}

/** Widths by header into `<cols>`, splitting a range of columns where one of them changes. */
function setWidths(root: XmlElement, header: readonly string[], widths: Readonly<Record<string, number>>): void {
  const colOf = colOfHeader(header);
  let cols = child(root, 'cols');
  for (const [name, width] of Object.entries(widths)) {
    const n = colOf(name) + 1;
    if (n < 1) continue;
    if (!cols) insertInOrder(root, (cols = makeElement(root, 'cols')), WORKSHEET_ORDER);
    const list = elements(cols, 'col');
    const hit = list.find((c) => Number(c.attrs.min) <= n && n <= Number(c.attrs.max));
    if (hit && Number(hit.attrs.width) === width && hit.attrs.customWidth === '1') continue;
    const one = hit ? { ...hit, attrs: { ...hit.attrs } } : makeElement(root, 'col', {});
    Object.assign(one.attrs, { min: String(n), max: String(n), width: String(width), customWidth: '1' });
    const pieces: XmlElement[] = [one];
    if (hit && Number(hit.attrs.min) < n) pieces.unshift({ ...hit, attrs: { ...hit.attrs, max: String(n - 1) } });
    if (hit && Number(hit.attrs.max) > n) pieces.push({ ...hit, attrs: { ...hit.attrs, min: String(n + 1) } });
    const rest = cols.children.filter((c) => c !== hit && typeof c !== 'string') as XmlElement[];
    cols.children = [...rest, ...pieces].sort((a, b) => Number(a.attrs.min) - Number(b.attrs.min));
  }
}

/** Ours out, the plan's in (after the user's, with lower priority); the user's own rules stay. */
function replaceFormats(root: XmlElement, change: SheetChange, styles: Styles | undefined): void {
  if (!styles) return;
  root.children = root.children.filter(
    (c) => typeof c === 'string' || localName(c) !== 'conditionalFormatting' || !isOurFormat(c, styles),
  );
  const priorities = elements(root, 'conditionalFormatting').flatMap((cf) =>
    elements(cf, 'cfRule').map((r) => Number(r.attrs.priority) || 0),
  );
  const target = { colOf: colOfHeader(change.header), totalRow: change.totalRow };
  for (const el of formatElements(root, change.formats ?? [], target, styles, Math.max(0, ...priorities) + 1))
    insertInOrder(root, el, WORKSHEET_ORDER);
}

/**
 * Our text and problem-count rules reach the last row of the sheet, and "contains text" ones carry
 * the `text` LibreOffice reads: workbooks written before (rules down to row 1,002, no `text`) heal
 * at the next write of the tab.
 */
function fitFormats(root: XmlElement, styles: Styles | undefined): void {
  for (const cf of elements(root, 'conditionalFormatting')) {
    const rule = child(cf, 'cfRule');
    if (!rule || rule.attrs.type === 'colorScale' || !isOurFormat(cf, styles)) continue;
    const L = /^[A-Z]+/.exec(cf.attrs.sqref)![0];
    cf.attrs.sqref = `${L}2:${L}${LAST_ROW}`;
    if (rule.attrs.type === 'containsText' && rule.attrs.text === undefined) {
      const text = /SEARCH\("((?:[^"]|"")*)"/.exec(textOf(child(rule, 'formula') ?? rule))?.[1].replace(/""/g, '"');
      Object.assign(rule.attrs, { operator: 'containsText', text: text ?? '' });
    }
  }
}

/**
 * The plan's validations replace their column's (by header), and every validation of ours reaches
 * VALIDATION_HEADROOM rows past the last row, so rows the sync appended are covered too.
 */
function fitValidations(root: XmlElement, change: SheetChange, lastRow: number): void {
  const colOf = colOfHeader(change.header);
  let dvs = child(root, 'dataValidations');
  const last = Math.max(lastRow, 1) + VALIDATION_HEADROOM;
  for (const v of change.validations ?? []) {
    const c = colOf(v.column);
    if (c < 0) continue;
    if (!dvs) insertInOrder(root, (dvs = makeElement(root, 'dataValidations')), WORKSHEET_ORDER);
    for (const dv of elements(dvs, 'dataValidation'))
      dv.attrs.sqref = withoutColumn(dv.attrs.sqref ?? '', columnLetter(c));
    dvs.children = dvs.children.filter((dv) => typeof dv === 'string' || dv.attrs.sqref);
    dvs.children.push(validationElement(root, v, change.header[c], c, last));
  }
  if (!dvs) return;
  for (const dv of elements(dvs, 'dataValidation')) {
    const c = ourValidationColumn(dv, change.header);
    const end = Number(/(\d+)$/.exec(dv.attrs.sqref ?? '')?.[1]);
    if (c >= 0 && end < last) dv.attrs.sqref = `${columnLetter(c)}2:${columnLetter(c)}${last}`;
  }
  dvs.attrs.count = String(elements(dvs, 'dataValidation').length);
  if (!elements(dvs, 'dataValidation').length) root.children = root.children.filter((c) => c !== dvs);
}
