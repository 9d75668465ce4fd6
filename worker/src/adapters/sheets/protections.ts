/**
 * Plan protections → protected-range requests. One ProtectedRange per protected column (every
 * row, header included) or per whole tab, with the plan's description; ours are recognised by the
 * description prefix and matched by (description, column), so a re-apply sends nothing when
 * nothing changed, updates editors in place, and deletes ours that the plan no longer lists.
 * Ranges people protected themselves are never touched.
 */
import type { sheets_v4 } from 'googleapis';
import { PROTECTION_PREFIX, protectionGrantees, type Protection } from '../../../../shared/src/workbook';
import type { Request, SheetMeta } from './requests';

type ProtectedRange = sheets_v4.Schema$ProtectedRange;

interface Wanted {
  readonly description: string;
  readonly range: sheets_v4.Schema$GridRange;
  readonly warningOnly: boolean;
  readonly users: string[];
}

const keyOf = (description: string | null | undefined, range: sheets_v4.Schema$GridRange | undefined) =>
  `${description ?? ''}|${range?.startColumnIndex ?? ''}-${range?.endColumnIndex ?? ''}|${range?.startRowIndex ?? ''}-${range?.endRowIndex ?? ''}`;

const sameUsers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function protectionRequests(
  sheet: SheetMeta,
  protections: readonly Protection[],
  colOf: (name: string) => number,
  self?: string,
): Request[] {
  const wanted = new Map<string, Wanted>();
  for (const p of protections) {
    const users = protectionGrantees(p, self);
    const ranges: sheets_v4.Schema$GridRange[] = p.columns
      ? p.columns
          .map(colOf)
          .filter((c) => c >= 0)
          .map((c) => ({ sheetId: sheet.sheetId, startColumnIndex: c, endColumnIndex: c + 1 }))
      : [{ sheetId: sheet.sheetId }];
    for (const range of ranges)
      wanted.set(keyOf(p.description, range), {
        description: p.description,
        range,
        warningOnly: !!p.warningOnly,
        users,
      });
  }
  const out: Request[] = [];
  for (const existing of sheet.protectedRanges ?? []) {
    if (!existing.description?.startsWith(PROTECTION_PREFIX)) continue;
    const key = keyOf(existing.description, existing.range);
    const w = wanted.get(key);
    if (!w) {
      out.push({ deleteProtectedRange: { protectedRangeId: existing.protectedRangeId } });
      continue;
    }
    wanted.delete(key);
    const users = [...(existing.editors?.users ?? [])].map((u) => u.toLowerCase()).sort();
    if (!!existing.warningOnly === w.warningOnly && (w.warningOnly || sameUsers(users, w.users))) continue;
    out.push({
      updateProtectedRange: {
        protectedRange: {
          protectedRangeId: existing.protectedRangeId,
          warningOnly: w.warningOnly,
          ...(w.warningOnly ? {} : { editors: { users: w.users } }),
        },
        fields: w.warningOnly ? 'warningOnly' : 'warningOnly,editors',
      },
    });
  }
  for (const w of wanted.values()) {
    const protectedRange: ProtectedRange = { range: w.range, description: w.description, warningOnly: w.warningOnly };
    if (!w.warningOnly) protectedRange.editors = { users: w.users };
    out.push({ addProtectedRange: { protectedRange } });
  }
  return out;
}
