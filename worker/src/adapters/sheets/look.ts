/**
 * A plan's `look` → Sheets requests: column widths (updateDimensionProperties), frozen header row
 * and identity columns (updateSheetProperties), a bold wrapped header and the Total row of a
 * rebuilt report (repeatCell). Widths and frozen counts are compared with the metadata already
 * fetched, so re-applying a look that is in place sends nothing.
 */
import type { sheets_v4 } from 'googleapis';
import { TOTAL_ROW_STYLE, widthPixels } from '../../../../shared/src/look';
import type { TabPlan } from '../../../../shared/src/workbook';
import { rgb } from './conditional-formats';
import type { Request, SheetMeta } from './requests';

/** The tab as the requests before these leave it. */
export interface LookTarget {
  readonly sheet: SheetMeta;
  /** Created, rebuilt or given columns by this plan: its header row was (re)written. */
  readonly headerWritten: boolean;
}

const TOTAL_FIELDS = 'userEnteredFormat.textFormat.bold,userEnteredFormat.backgroundColor,userEnteredFormat.borders';

export function lookRequests(target: LookTarget, t: TabPlan, colOf: (header: string) => number): Request[] {
  const look = t.look;
  if (!look) return [];
  const { sheet } = target;
  const out: Request[] = [...widthRequests(sheet, look.widths ?? {}, colOf), ...frozenRequests(sheet, look)];
  // Cell formats are not in the metadata we fetch: style the header when it was written, or when the
  // rest of the look was not in place yet (a tab already sized and frozen by us was styled then too).
  if (look.headerStyle && (target.headerWritten || out.length)) out.push(headerStyle(sheet.sheetId));
  if (look.totalRow && t.replace) out.push(...totalRow(sheet.sheetId, t.replace.rows.length));
  return out;
}

function widthRequests(sheet: SheetMeta, widths: Readonly<Record<string, number>>, colOf: (h: string) => number) {
  const out: Request[] = [];
  for (const [header, chars] of Object.entries(widths)) {
    const c = colOf(header);
    const pixelSize = widthPixels(chars);
    if (c < 0 || sheet.columnWidths?.[c] === pixelSize) continue;
    out.push({
      updateDimensionProperties: {
        range: { sheetId: sheet.sheetId, dimension: 'COLUMNS', startIndex: c, endIndex: c + 1 },
        properties: { pixelSize },
        fields: 'pixelSize',
      },
    });
  }
  return out;
}

function frozenRequests(sheet: SheetMeta, look: NonNullable<TabPlan['look']>): Request[] {
  const columns = look.frozenColumns ?? sheet.frozenColumnCount ?? 0;
  if ((sheet.frozenRowCount ?? 0) === 1 && (sheet.frozenColumnCount ?? 0) === columns) return [];
  return [
    {
      updateSheetProperties: {
        properties: { sheetId: sheet.sheetId, gridProperties: { frozenRowCount: 1, frozenColumnCount: columns } },
        fields: 'gridProperties.frozenRowCount,gridProperties.frozenColumnCount',
      },
    },
  ];
}

function headerStyle(sheetId: number): Request {
  return {
    repeatCell: {
      range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
      cell: { userEnteredFormat: { textFormat: { bold: true }, wrapStrategy: 'WRAP' } },
      fields: 'userEnteredFormat.textFormat.bold,userEnteredFormat.wrapStrategy',
    },
  };
}

/** The rows of a rebuilt report made plain, then its last row (the Total) bold with a rule above and a fill. */
function totalRow(sheetId: number, rows: number): Request[] {
  if (!rows) return [];
  const style: sheets_v4.Schema$CellFormat = {
    textFormat: { bold: TOTAL_ROW_STYLE.bold },
    backgroundColor: rgb(TOTAL_ROW_STYLE.fill),
    borders: { top: { style: 'SOLID', color: rgb(TOTAL_ROW_STYLE.borderTop) } },
  };
  return [
    { repeatCell: { range: { sheetId, startRowIndex: 1 }, cell: { userEnteredFormat: {} }, fields: TOTAL_FIELDS } },
    {
      repeatCell: {
        range: { sheetId, startRowIndex: rows, endRowIndex: rows + 1 },
        cell: { userEnteredFormat: style },
        fields: TOTAL_FIELDS,
      },
    },
  ];
}
