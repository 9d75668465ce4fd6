/** A layout validation (choice list or number range) as a Sheets `setDataValidation` request. */
import type { sheets_v4 } from 'googleapis';
import type { ValidationRule } from '../../../../shared/src/layout';

/** Rule on column `col` from row 2 down (open-ended, so rows added later are covered too). */
export function dataValidationRequest(rule: ValidationRule, sheetId: number, col: number): sheets_v4.Schema$Request {
  const condition =
    rule.kind === 'list'
      ? { type: 'ONE_OF_LIST', values: rule.values.map((x) => ({ userEnteredValue: x })) }
      : {
          type: 'NUMBER_BETWEEN',
          values: [{ userEnteredValue: String(rule.min) }, { userEnteredValue: String(rule.max) }],
        };
  return {
    setDataValidation: {
      range: { sheetId, startRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
      rule: { condition, strict: true, showCustomUi: rule.kind === 'list' },
    },
  };
}
