/**
 * Charts on `Summary by school`: completion rate per school (bar) and the distribution of
 * Engagement % over Progress (histogram); and, for facilitated groups, the CEFR level spread per
 * group (stacked columns) on `Levels by group` and participants vs completed vs certified by
 * Category (bars, one chart per course) on `Certificates by course`. Each tab is rebuilt whole on
 * every refresh, so its charts are too: old ones are removed, never stacked. The sheets are read as
 * they are, in the workbook's language: headers and the Total label are matched in any language.
 */
import type { SessionsChartRows } from '../../../shared/src/facilitated/sessions-charts';
import { headersOf, valueColumnsOf } from '../../../shared/src/i18n/workbook-labels';
import {
  CEFR_LEVELS,
  CERTIFICATES_BY_COURSE_TAB,
  HISTORY_TAB,
  indexColumns,
  LEVELS_BY_GROUP_TAB,
  PROGRESS_TAB,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_LABELS,
  type TabDef,
} from '../../../shared/src/layout';
import type { SheetLike } from './gas-types';

export interface ChartTypes {
  readonly BAR: unknown;
  readonly COLUMN: unknown;
  readonly HISTOGRAM: unknown;
  readonly LINE: unknown;
}

export interface ChartTitles {
  readonly completionBySchool: string;
  readonly engagementDistribution: string;
  readonly trend: string;
}

export function drawSummaryCharts(
  summary: SheetLike,
  progress: SheetLike | null,
  types: ChartTypes,
  titles: ChartTitles,
  history: SheetLike | null = null,
): number {
  for (const chart of summary.getCharts()) summary.removeChart(chart);
  const width = summary.getLastColumn();
  const dataRows = summary.getLastRow() - 2; // header and the Total row are not schools
  const header = width ? summary.getRange(1, 1, 1, width).getValues()[0] : [];
  const idx = indexColumns(SUMMARY_BY_SCHOOL_TAB, canonicalHeader(SUMMARY_BY_SCHOOL_TAB, header));
  const schoolCol = idx.group;
  const rateCol = idx['Completion rate'];
  let drawn = 0;
  const anchorCol = width + 2;
  if (dataRows > 0 && schoolCol >= 0 && rateCol >= 0) {
    summary.insertChart(
      summary
        .newChart()
        .setChartType(types.BAR)
        .addRange(summary.getRange(1, schoolCol + 1, dataRows + 1, 1))
        .addRange(summary.getRange(1, rateCol + 1, dataRows + 1, 1))
        .setNumHeaders(1)
        .setOption('title', titles.completionBySchool)
        .setOption('legend', { position: 'none' })
        .setOption('hAxis', { format: 'percent', minValue: 0, maxValue: 1 })
        .setPosition(1, anchorCol, 0, 0)
        .build(),
    );
    drawn++;
  }
  if (progress && progress.getLastRow() > 1) {
    const pHeader = progress.getRange(1, 1, 1, Math.max(1, progress.getLastColumn())).getValues()[0];
    const engagement = indexColumns(PROGRESS_TAB, canonicalHeader(PROGRESS_TAB, pHeader)).engagement;
    if (engagement >= 0) {
      summary.insertChart(
        summary
          .newChart()
          .setChartType(types.HISTOGRAM)
          .addRange(progress.getRange(1, engagement + 1, progress.getLastRow(), 1))
          .setNumHeaders(1)
          .setOption('title', titles.engagementDistribution)
          .setOption('legend', { position: 'none' })
          .setOption('histogram', { bucketSize: 10, minValue: 0, maxValue: 100 })
          .setPosition(20, anchorCol, 0, 0)
          .build(),
      );
      drawn++;
    }
  }
  if (history && drawTrend(summary, history, types, titles.trend, anchorCol)) drawn++;
  return drawn;
}

/** A header row as the sheet shows it (any language) → the layout's headers; a user's own columns as they are. */
function canonicalHeader(tab: TabDef, header: readonly unknown[]): unknown[] {
  const codec = headersOf(tab.name);
  return header.map((h) => (typeof h === 'string' ? (codec.read(h) ?? h) : h));
}

/** The History's School cell is the Total row's, in whichever language it was written. */
const historySchool = valueColumnsOf(HISTORY_TAB.name).find((c) => c.key === 'school')!.codec;
const isTotal = (cell: unknown) => historySchool.read(String(cell)) === SUMMARY_LABELS.total;

/**
 * Completion rate and low-engagement share over time: the Total rows of the History tab, which it
 * keeps as one block sorted by date (shared/src/history.ts), so the ranges are contiguous.
 */
function drawTrend(
  summary: SheetLike,
  history: SheetLike,
  types: ChartTypes,
  title: string,
  anchorCol: number,
): boolean {
  const last = history.getLastRow();
  if (last < 2) return false;
  const values = history.getRange(1, 1, last, Math.max(1, history.getLastColumn())).getValues();
  const idx = indexColumns(HISTORY_TAB, canonicalHeader(HISTORY_TAB, values[0]));
  if ([idx.date, idx.school, idx.completionRate, idx.lowShare].some((c) => c < 0)) return false;
  const totals = values.flatMap((r, i) => (i > 0 && isTotal(r[idx.school]) ? [i + 1] : []));
  if (!totals.length || totals[totals.length - 1] - totals[0] + 1 !== totals.length) return false; // not one block: not ours
  const column = (c: number) => history.getRange(totals[0], c + 1, totals.length, 1);
  summary.insertChart(
    summary
      .newChart()
      .setChartType(types.LINE)
      .addRange(column(idx.date))
      .addRange(column(idx.completionRate))
      .addRange(column(idx.lowShare))
      .setNumHeaders(0)
      .setOption('title', title)
      .setOption('series', {
        0: { labelInLegend: String(values[0][idx.completionRate]) },
        1: { labelInLegend: String(values[0][idx.lowShare]) },
      })
      .setOption('vAxis', { format: 'percent', minValue: 0, maxValue: 1 })
      .setPosition(39, anchorCol, 0, 0)
      .build(),
  );
  return true;
}

export interface SessionsChartTitles {
  readonly levels: string;
  readonly certificates: (course: string) => string;
}

/** 1-based column of a layout key in a tab the refresh has just rebuilt (its header is the layout's, in order). */
const columnOf = (def: typeof LEVELS_BY_GROUP_TAB, key: string) => def.columns.findIndex((c) => c.key === key) + 1;

/**
 * The facilitated charts, from the rows the refresh has just written (`rows`: where each chart's
 * data is; null without facilitated data, when only the old charts go). Legends are the tabs'
 * header cells, so they speak the workbook's language.
 */
export function drawSessionsCharts(
  levels: SheetLike | null,
  certificates: SheetLike | null,
  rows: SessionsChartRows | null,
  types: ChartTypes,
  titles: SessionsChartTitles,
): number {
  for (const sheet of [levels, certificates]) for (const chart of sheet?.getCharts() ?? []) sheet!.removeChart(chart);
  if (!rows) return 0;
  let drawn = 0;
  if (levels && rows.groups > 0) {
    levels.insertChart(
      levels
        .newChart()
        .setChartType(types.COLUMN)
        .addRange(levels.getRange(1, columnOf(LEVELS_BY_GROUP_TAB, 'group'), rows.groups + 1, 1))
        .addRange(
          levels.getRange(1, columnOf(LEVELS_BY_GROUP_TAB, CEFR_LEVELS[0]), rows.groups + 1, CEFR_LEVELS.length),
        )
        .setNumHeaders(1)
        .setOption('title', titles.levels)
        .setOption('isStacked', true)
        .setPosition(1, LEVELS_BY_GROUP_TAB.columns.length + 2, 0, 0)
        .build(),
    );
    drawn++;
  }
  if (!certificates) return drawn;
  const figures = columnOf(CERTIFICATES_BY_COURSE_TAB, 'participants'); // Participants, Completed, Certified
  const legend = certificates.getRange(1, figures, 1, 3).getValues()[0];
  rows.courses.forEach((course, i) => {
    certificates.insertChart(
      certificates
        .newChart()
        .setChartType(types.BAR)
        .addRange(
          certificates.getRange(course.firstRow, columnOf(CERTIFICATES_BY_COURSE_TAB, 'category'), course.rows, 1),
        )
        .addRange(certificates.getRange(course.firstRow, figures, course.rows, 3))
        .setNumHeaders(0)
        .setOption('title', titles.certificates(course.title))
        .setOption('series', Object.fromEntries(legend.map((label, s) => [s, { labelInLegend: String(label) }])))
        .setOption('hAxis', { minValue: 0, format: '0' })
        .setPosition(1 + i * 20, CERTIFICATES_BY_COURSE_TAB.columns.length + 2, 0, 0)
        .build(),
    );
    drawn++;
  });
  return drawn;
}
