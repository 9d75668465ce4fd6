/**
 * The layout's FormatRules as Sheets conditional format rules, and which of a sheet's existing
 * rules are ours (so a re-apply replaces them instead of stacking copies, and a human's stay).
 */
import type { sheets_v4 } from 'googleapis';
import type { FormatRule } from '../../../../shared/src/layout';

export type CfRule = sheets_v4.Schema$ConditionalFormatRule;
type Request = sheets_v4.Schema$Request;

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
    const p = (x?: sheets_v4.Schema$InterpolationPoint) =>
      x ? `${x.type}:${x.value ?? ''}:${colorKey(x.color ?? x.colorStyle?.rgbColor ?? undefined)}` : '-';
    return `G|${p(rule.gradientRule.minpoint)}|${p(rule.gradientRule.midpoint)}|${p(rule.gradientRule.maxpoint)}`;
  }
  const b = rule.booleanRule;
  const fg =
    b?.format?.textFormat?.foregroundColor ?? b?.format?.textFormat?.foregroundColorStyle?.rgbColor ?? undefined;
  const bg = b?.format?.backgroundColor ?? b?.format?.backgroundColorStyle?.rgbColor ?? undefined;
  return `B|${b?.condition?.type}|${(b?.condition?.values ?? []).map((v) => v.userEnteredValue).join(',')}|${colorKey(fg)}|${colorKey(bg)}|${b?.format?.textFormat?.bold ? 1 : 0}`;
}

/**
 * A whole column from row 2 down: the only shape of range we create. We send it open-ended, but
 * Google may return it with an end row (and so may a copy of the sheet): either way it is ours.
 */
function ruleColumn(rule: CfRule): number | null {
  const [r, more] = rule.ranges ?? [];
  if (!r || more || r.startRowIndex !== 1 || (r.endRowIndex != null && r.endRowIndex <= 1)) return null;
  const c = r.startColumnIndex ?? 0;
  return r.endColumnIndex === c + 1 ? c : null;
}

/** A bounded range that stops above the grid's last row no longer covers the whole column. */
const coversColumn = (rule: CfRule, rowCount: number | undefined) => {
  const end = rule.ranges?.[0]?.endRowIndex;
  return end == null || rowCount === undefined || end >= rowCount;
};

/**
 * Requests that leave exactly `rules` as our rules on the sheet: nothing when they are already
 * there (and, when bounded, reach the grid's `rowCount`); else ours are deleted (by index,
 * highest first) and the wanted ones added at the top.
 */
export function conditionalFormatRequests(
  sheetId: number,
  existing: readonly CfRule[],
  rules: readonly FormatRule[],
  colOf: (header: string) => number,
  rowCount?: number,
): { requests: Request[]; deletesByIndex: boolean } {
  const desired = rules
    .map((f) => ({ f, c: colOf(f.column) }))
    .filter((x) => x.c >= 0)
    .map((x) => conditionalRule(x.f, sheetId, x.c));
  const effects = new Set(desired.map(ruleEffect));
  // Ours: whole-column rules with one of our effects. A human's own rules are left alone.
  const ours = existing
    .map((r, i) => ({ r, i, c: ruleColumn(r) }))
    .filter((x) => x.c !== null && effects.has(ruleEffect(x.r)));
  const key = (effect: string, c: number | null) => `${c}|${effect}`;
  const have = ours.map((x) => key(ruleEffect(x.r), x.c)).sort();
  const want = desired.map((r) => key(ruleEffect(r), ruleColumn(r))).sort();
  const inPlace = ours.every((x) => coversColumn(x.r, rowCount));
  if (inPlace && have.join('\n') === want.join('\n')) return { requests: [], deletesByIndex: false };
  const requests: Request[] = [...ours]
    .sort((a, b) => b.i - a.i)
    .map((x) => ({ deleteConditionalFormatRule: { sheetId, index: x.i } }));
  desired.forEach((rule, i) => requests.push({ addConditionalFormatRule: { rule, index: i } }));
  return { requests, deletesByIndex: ours.length > 0 };
}
