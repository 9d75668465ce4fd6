/**
 * Our conditional formats and data validations as worksheet XML, and how we recognise them among
 * the user's own, which are never touched.
 *
 * A conditional format is ours when it is one range of one column from row 2 down (`E2:E1048576`)
 * holding one rule of a shape we write: "contains text" with the formula
 * `NOT(ISERROR(SEARCH("…",E2)))` and one of our fills, a colour scale with our three points and
 * colours, or "greater than 0" with our red fill. A user's rule of exactly that shape on that range
 * is indistinguishable from ours and is replaced by the same rule.
 *
 * A data validation is ours when it is one range of one column from row 2 (`B2:B5001`) whose
 * error title is that column's header. The port asks a validation to replace the column's earlier
 * one, so on a column the plan validates, any validation of that column alone goes.
 */
import { columnLetter } from '../../../../shared/src/cells';
import type { FormatRule, ValidationRule } from '../../../../shared/src/layout';
import { normalizeHeader } from '../../../../shared/src/layout';
import type { Styles } from './styles';
import { child, elements, makeElement, textOf, type XmlElement } from './xml';

/** The last row of a sheet (Excel, LibreOffice and Google Sheets all take a range down to it). */
export const LAST_ROW = 1048576;
/** Rows past the last data row that our validations cover, for rows people type in. */
export const VALIDATION_HEADROOM = 5000;

const FONTS = { red: 'FF9C0006', amber: 'FF9C5700', green: 'FF006100', grey: 'FF808080' } as const;
const FILLS = { red: 'FFFFC7CE', amber: 'FFFFEB9C', green: 'FFC6EFCE', grey: 'FFEDEDED' } as const;
const SCALE = ['FFF8696B', 'FFFFEB84', 'FF63BE7B'] as const;
const OUR_FILLS = new Set<string>(Object.values(FILLS));

export interface FormatTarget {
  /** Column of a header (normalised match), -1 when absent. */
  readonly colOf: (header: string) => number;
  /** The report's last row is a Total: our rules stop above it (as in every backend: shared/src/look.ts). */
  readonly totalRow?: number;
}

/** `<conditionalFormatting>` elements for the plan's rules (a rule on a missing column is skipped). */
export function formatElements(
  like: XmlElement,
  rules: readonly FormatRule[],
  target: FormatTarget,
  styles: Styles,
  priority: number,
): XmlElement[] {
  const out: XmlElement[] = [];
  for (const rule of rules) {
    const c = target.colOf(rule.column);
    if (c < 0) continue;
    const L = columnLetter(c);
    const end = target.totalRow ? target.totalRow - 1 : LAST_ROW;
    if (end < 2) continue;
    const attrs: Record<string, string> = {};
    let body: XmlElement[];
    if (rule.kind === 'colorScale') {
      Object.assign(attrs, { type: 'colorScale', priority: String(priority++) });
      const cfvo = ['0', '0.5', '1'].map((val) => makeElement(like, 'cfvo', { type: 'num', val }));
      body = [
        makeElement(like, 'colorScale', {}, [...cfvo, ...SCALE.map((rgb) => makeElement(like, 'color', { rgb }))]),
      ];
    } else if (rule.kind === 'redWhenPositive') {
      const dxfId = String(styles.dxf(FONTS.red, FILLS.red, true));
      Object.assign(attrs, { type: 'cellIs', dxfId, priority: String(priority++), operator: 'greaterThan' });
      body = [makeElement(like, 'formula', {}, ['0'])];
    } else {
      // LibreOffice needs `text`, Excel and Google Sheets the formula: both, always.
      const dxfId = String(styles.dxf(FONTS[rule.color], FILLS[rule.color]));
      Object.assign(attrs, {
        type: 'containsText',
        dxfId,
        priority: String(priority++),
        operator: 'containsText',
        text: rule.equals,
      });
      body = [makeElement(like, 'formula', {}, [searchFormula(rule.equals, L)])];
    }
    const cfRule = makeElement(like, 'cfRule', attrs, body);
    out.push(makeElement(like, 'conditionalFormatting', { sqref: `${L}2:${L}${end}` }, [cfRule]));
  }
  return out;
}

const searchFormula = (text: string, L: string) => `NOT(ISERROR(SEARCH("${text.replace(/"/g, '""')}",${L}2)))`;

/** Is this `<conditionalFormatting>` one of ours (see the module comment)? */
export function isOurFormat(cf: XmlElement, styles: Styles | undefined): boolean {
  const m = /^([A-Z]+)2:([A-Z]+)\d+$/.exec(cf.attrs.sqref ?? '');
  const rules = elements(cf, 'cfRule');
  if (!m || m[1] !== m[2] || rules.length !== 1 || elements(cf).length !== 1) return false;
  const rule = rules[0];
  const fill = rule.attrs.dxfId === undefined ? undefined : styles?.dxfFill(Number(rule.attrs.dxfId));
  const formula = textOf(child(rule, 'formula') ?? rule).trim();
  switch (rule.attrs.type) {
    case 'containsText': {
      const text = /^NOT\(ISERROR\(SEARCH\("((?:[^"]|"")*)",([A-Z]+)2\)\)\)$/.exec(formula);
      return !!text && text[2] === m[1] && OUR_FILLS.has(fill ?? '');
    }
    case 'cellIs':
      return rule.attrs.operator === 'greaterThan' && formula === '0' && fill === FILLS.red;
    case 'colorScale': {
      const scale = child(rule, 'colorScale');
      const colors = scale ? elements(scale, 'color').map((c) => c.attrs.rgb?.toUpperCase()) : [];
      const points = scale ? elements(scale, 'cfvo').map((c) => `${c.attrs.type}:${c.attrs.val}`) : [];
      return colors.join() === SCALE.join() && points.join() === 'num:0,num:0.5,num:1';
    }
    default:
      return false;
  }
}

/** A `<dataValidation>` for one rule on column `c`, rows 2 to `last`. */
export function validationElement(
  like: XmlElement,
  v: ValidationRule,
  header: string,
  c: number,
  last: number,
): XmlElement {
  const L = columnLetter(c);
  const common = { allowBlank: '1', showErrorMessage: '1', errorTitle: header };
  if (v.kind === 'list')
    return makeElement(
      like,
      'dataValidation',
      { type: 'list', ...common, error: `Pick one of: ${v.values.join(', ')}`, sqref: `${L}2:${L}${last}` },
      [makeElement(like, 'formula1', {}, [`"${v.values.join(',')}"`])],
    );
  return makeElement(
    like,
    'dataValidation',
    {
      type: 'decimal',
      operator: 'between',
      ...common,
      error: `A number from ${v.min} to ${v.max}`,
      sqref: `${L}2:${L}${last}`,
    },
    [makeElement(like, 'formula1', {}, [String(v.min)]), makeElement(like, 'formula2', {}, [String(v.max)])],
  );
}

/** The column our validation covers (its one range from row 2, titled with that column's header), else -1. */
export function ourValidationColumn(dv: XmlElement, header: readonly string[]): number {
  const m = /^([A-Z]+)2:([A-Z]+)(\d+)$/.exec(dv.attrs.sqref ?? '');
  if (!m || m[1] !== m[2]) return -1;
  const c = header.findIndex(
    (h, i) => columnLetter(i) === m[1] && normalizeHeader(h) === normalizeHeader(dv.attrs.errorTitle ?? ''),
  );
  return c;
}

/** Removes from `sqref` every range that lies in column `L` alone; '' when nothing is left. */
export function withoutColumn(sqref: string, L: string): string {
  return sqref
    .split(/\s+/)
    .filter((range) => !range.split(':').every((part) => part.replace(/[^A-Z]/gi, '').toUpperCase() === L))
    .join(' ');
}
