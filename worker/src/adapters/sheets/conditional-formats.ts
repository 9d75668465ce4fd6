/**
 * The layout's FormatRules as Sheets conditional format rules, and which of a sheet's existing
 * rules are ours (so a re-apply replaces them instead of stacking copies, and a human's stay).
 */
import type { sheets_v4 } from 'googleapis';
import type { FormatRule } from '../../../../shared/src/layout';

export type CfRule = sheets_v4.Schema$ConditionalFormatRule;
type Request = sheets_v4.Schema$Request;

export const rgb = (hex: string) => ({
  red: parseInt(hex.slice(0, 2), 16) / 255,
  green: parseInt(hex.slice(2, 4), 16) / 255,
  blue: parseInt(hex.slice(4, 6), 16) / 255,
});

// Same palette as the .xlsx backend, so both workbooks look alike.
const TEXT = { red: '9C0006', amber: '9C5700', green: '006100', grey: '808080' } as const;
const FILL = { red: 'FFC7CE', amber: 'FFEB9C', green: 'C6EFCE', grey: 'EDEDED' } as const;

/** Sheet rows a rule covers (1-based, inclusive): `to` null = to the bottom, rows added later included. */
export type RuleRows = { readonly from: number; readonly to: number | null };
const ALL_ROWS: RuleRows = { from: 2, to: null };

/** One FormatRule on column `col` of `sheetId` → a Sheets conditional format rule. */
export function conditionalRule(rule: FormatRule, sheetId: number, col: number, rows: RuleRows = ALL_ROWS): CfRule {
  const ranges = [
    {
      sheetId,
      startRowIndex: rows.from - 1,
      ...(rows.to === null ? {} : { endRowIndex: rows.to }),
      startColumnIndex: col,
      endColumnIndex: col + 1,
    },
  ];
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
 * One column from row 2 down — to the bottom, or (a report with a Total) to the row above the
 * Total: the only shapes of range we create. Returns `column|end` (end blank when open), or null.
 * We send "to the bottom" open-ended, but Google may return it bounded at the grid's last row (and
 * so may a copy of the sheet): a range reaching `rowCount` counts as open, so it is still ours.
 */
function ruleSpan(rule: CfRule, rowCount?: number): string | null {
  const [r, more] = rule.ranges ?? [];
  if (!r || more || r.startRowIndex !== 1 || (r.endRowIndex != null && r.endRowIndex <= 1)) return null;
  const c = r.startColumnIndex ?? 0;
  if (r.endColumnIndex !== c + 1) return null;
  const open = r.endRowIndex == null || (rowCount !== undefined && r.endRowIndex >= rowCount);
  return `${c}|${open ? '' : r.endRowIndex}`;
}

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
  rows: RuleRows | null = ALL_ROWS,
  rowCount?: number,
): { requests: Request[]; deletesByIndex: boolean } {
  const placed = rules.map((f) => ({ f, c: colOf(f.column) })).filter((x) => x.c >= 0);
  // No rows to format (a report with only its Total): ours are removed, none added.
  const desired = rows ? placed.map((x) => conditionalRule(x.f, sheetId, x.c, rows)) : [];
  const effects = new Set(placed.map((x) => ruleEffect(conditionalRule(x.f, sheetId, x.c))));
  // Ours: column rules from row 2 with one of our effects. A human's own rules are left alone.
  const ours = existing
    .map((r, i) => ({ r, i, span: ruleSpan(r, rowCount) }))
    .filter((x) => x.span !== null && effects.has(ruleEffect(x.r)));
  const key = (effect: string, span: string | null) => `${span}|${effect}`;
  const have = ours.map((x) => key(ruleEffect(x.r), x.span)).sort();
  const want = desired.map((r) => key(ruleEffect(r), ruleSpan(r))).sort();
  if (have.join('\n') === want.join('\n')) return { requests: [], deletesByIndex: false };
  const requests: Request[] = [...ours]
    .sort((a, b) => b.i - a.i)
    .map((x) => ({ deleteConditionalFormatRule: { sheetId, index: x.i } }));
  desired.forEach((rule, i) => requests.push({ addConditionalFormatRule: { rule, index: i } }));
  return { requests, deletesByIndex: ours.length > 0 };
}
