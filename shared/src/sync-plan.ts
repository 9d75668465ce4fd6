/**
 * The sync as a pure function: (workbook snapshot, validated export lines) → plan of cell changes.
 * Upsert by (e-mail lower-cased, course slug); only cells whose value changed are written; human-
 * owned and user-added columns are never in the plan; row order is stable; new rows go at the end.
 */
import { sameCell, type Cell, type Row } from './cells';
import { label } from './i18n/workbook-labels';
import {
  approvalVerdict,
  auditedApprovals,
  desiredRow,
  evaluateProgressRow,
  pairFromExport,
  type Pair,
  type SyncContext,
} from './desired-row';
import type { ExportRecord, RejectedRow } from './export-record';
import {
  COURSES_TAB,
  GRADE_SCALE_TAB,
  HISTORY_TAB,
  LAYOUT,
  PROGRESS_TAB,
  REJECTED_ROWS_TAB,
  ROSTER_TAB,
  SETTINGS_TAB,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_TABS,
  SYNC_LOG_TAB,
  anchorColumns,
  headersOf,
  validationsOf,
  type TabDef,
} from './layout';
import { assertSyncLayout } from './layout-guard';
import { lookOf } from './look';
import { logAppend, rejectedRowsPlan, syncLogHasExport } from './rejected-log';
import { progressKey, readCourses, readRoster } from './progress-row';
import { ProgressTable } from './progress-table';
import { FLAGS, STATUSES, type Evaluation, type Flag, type Status } from './rules';
import { readSettings, type Settings } from './settings';
import { buildSummaries } from './summary';
import { historyPlan } from './history';
import { fillRosterGaps, isPlaceholder } from './roster-gaps';
import { formatInZone, parseInstant } from './time';
import type { Plan, Snapshot, TabPlan, TabSnapshot } from './workbook';
import { InputError } from './errors';
import type { Language } from './languages';
import { settingKeyOf } from './setting-rows';
import { derivedPlan } from './facilitated/derived';
import { readPlacements } from './facilitated/placement';

/** Tabs the sync reads. */
export const SYNC_TABS = LAYOUT.map((t) => t.name);

export interface ExportBatch {
  /** File name (or API program) as shown in the log. */
  readonly source: string;
  readonly sha256: string;
  readonly records: readonly { line: number; record: ExportRecord }[];
  readonly rejected: readonly RejectedRow[];
  /** Rejected rows beyond what the reader keeps in memory: counted, not listed (bounded memory). */
  readonly rejectedNotKept?: number;
  /** Older exports have no certificate URL column: then `Completed = Yes` is the certificate. */
  readonly hasCertificateColumn: boolean;
  /** The text encoding the file was read in when it was not UTF-8 or UTF-16 (e.g. `windows-1251`). */
  readonly encoding?: string;
}

export interface SyncStats {
  source: string;
  sha256: string;
  rowsRead: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Cells written in the Progress tab. */
  progressCellsWritten: number;
  /** Flag → count over the rows of this export. */
  flags: Record<Flag, number>;
  /** Status → count over the rows of this export. */
  statuses: Record<Status, number>;
  /** Course slugs in this export with no deadline (course or default): no late/overdue for them. */
  coursesWithoutDeadline: string[];
  /** Slugs in this export that the Courses tab does not list. */
  coursesNotInCatalog: string[];
  /** The Sync log already had this export (same SHA-256): its rejected rows were not appended again. */
  rejectedAlreadyLogged: boolean;
  /** Progress rows someone copied (same e-mail and course): sheet rows, the first is the one the sync updates. */
  duplicateRows: { email: string; slug: string; rows: number[] }[];
  /** Active rostered learners with no Coursera record (each has a NO_COURSERA_RECORD row in Progress). */
  rosterWithoutRecord: number;
  /** Set when the export was not UTF-8/UTF-16 and was decoded as this encoding. */
  encoding?: string;
  /** Facilitated tabs: row-level problems (an EF SET score out of range), naming tab, row and column. */
  participantProblems?: string[];
}

export interface SyncResult {
  readonly plan: Plan;
  readonly stats: SyncStats;
  readonly settings: Settings;
}

export interface SyncOptions {
  /** Epoch ms, or text (`2026-05-31`, `2026-05-31 18:00`, ISO) read on the Settings time-zone's clock. */
  readonly asOf: number | string;
  /** When the sync ran (log timestamp); defaults to asOf. */
  readonly syncedAt?: number;
  /**
   * The Sync log's Duration ms; blank when absent. A function is called when the log row is built,
   * after the plan is complete, so the figure covers reading the export and the workbook and the
   * planning (the write itself cannot be timed inside the one atomic write that stores it).
   */
  readonly durationMs?: number | (() => number);
}

/**
 * The plan that creates every missing tab of the layout (the template). `language`: what a new
 * Settings tab says in `Language`, and the language of the seeded Grade scale's traditional marks
 * (the template's default otherwise).
 */
export function templatePlan(snapshot: Snapshot, language?: Language): TabPlan[] {
  return LAYOUT.filter((t) => !snapshot[t.name]).map((t) => {
    const validations = validationsOf(t);
    return {
      tab: t.name,
      create: { header: headersOf(t) },
      appends: t.seedRows?.map((r) => seedRow(t, r, language)),
      formats: t.formats,
      numberFormats: t.numberFormats,
      validations: validations.length ? validations : undefined,
      look: lookOf(t),
    };
  });
}

function seedRow(t: TabDef, row: readonly Cell[], language: Language | undefined): Cell[] {
  if (!language) return [...row];
  if (t === SETTINGS_TAB && settingKeyOf(row[0]) === 'language') return [row[0], language];
  // The marks are the university's data from then on: seeded in its language, edited, never relabelled.
  if (t === GRADE_SCALE_TAB)
    return row.map((v, i) => (i === MARK_COLUMN ? label('traditionalMark', String(v), language) : v));
  return [...row];
}
const MARK_COLUMN = GRADE_SCALE_TAB.columns.findIndex((c) => c.key === 'traditional');

/** Tabs planSync writes itself; the template only creates the others. */
const WRITTEN_BY_SYNC = new Set(
  [PROGRESS_TAB, SYNC_LOG_TAB, REJECTED_ROWS_TAB, HISTORY_TAB, ...SUMMARY_TABS].map((t) => t.name),
);

export function planSync(snapshot: Snapshot, batch: ExportBatch, options: SyncOptions): SyncResult {
  assertSyncLayout(snapshot); // a tab without its anchor columns, or its header below row 1: refused, never doubled
  const ctx = syncContext(snapshot, batch, options.asOf);
  const table = new ProgressTable(snapshot[PROGRESS_TAB.name]);
  const { latest, duplicates } = latestLines(batch.records);
  const rejected = batch.rejected.concat(duplicates);
  const alreadyLogged = syncLogHasExport(snapshot, batch.sha256);
  const tally = new SyncTally(batch, rejected.length + (batch.rejectedNotKept ?? 0));
  upsertExportLines(table, latest, ctx, tally);
  refreshUnmentionedRows(table, ctx, tally);
  const gaps = fillRosterGaps(table, ctx.roster);
  tally.cellsWritten(gaps.cellsWritten);
  const derived = derivedPlan(snapshot, {
    settings: ctx.settings,
    asOf: ctx.asOf,
    progress: { name: PROGRESS_TAB.name, header: table.header, rows: table.rows },
  });
  const stats = {
    ...tally.stats(),
    rejectedAlreadyLogged: alreadyLogged,
    duplicateRows: table.duplicateRows(),
    rosterWithoutRecord: gaps.learners,
    ...(batch.encoding ? { encoding: batch.encoding } : {}),
    participantProblems: derived.problems,
  };

  const syncedAt = formatInZone(options.syncedAt ?? ctx.asOf, ctx.settings.timeZone);
  const tabs: TabPlan[] = [
    ...templatePlan(snapshot).filter((t) => !WRITTEN_BY_SYNC.has(t.tab)),
    progressPlan(table, snapshot[PROGRESS_TAB.name]),
    ...changedSummaries(snapshot, table, ctx),
    ...derived.tabs,
    syncLogAppend(snapshot, batch, stats, syncedAt, options.durationMs),
    ...rejectedRowsPlan(snapshot, {
      source: batch.source,
      syncedAt,
      rows: rejected,
      notKept: batch.rejectedNotKept ?? 0,
      alreadyLogged,
    }),
  ];
  return { plan: { tabs }, stats, settings: ctx.settings };
}

function syncContext(snapshot: Snapshot, batch: ExportBatch, asOf: number | string): SyncContext {
  const settings = readSettings(snapshot[SETTINGS_TAB.name]);
  return {
    settings,
    asOf: typeof asOf === 'number' ? asOf : parseAsOf(asOf, settings.timeZone),
    roster: readRoster(snapshot[ROSTER_TAB.name]),
    courses: readCourses(snapshot[COURSES_TAB.name]),
    hasCertificateColumn: batch.hasCertificateColumn,
    approvalOf: auditedApprovals(snapshot),
    participants: readPlacements(snapshot),
  };
}

type Line = ExportBatch['records'][number];

/** Within one export the later line of a duplicated (email, course) wins; the earlier is reported. */
function latestLines(records: readonly Line[]): { latest: Map<string, Line>; duplicates: RejectedRow[] } {
  const latest = new Map<string, Line>();
  const duplicates: RejectedRow[] = [];
  for (const item of records) {
    const key = progressKey(item.record.email, item.record.slug);
    const prev = latest.get(key);
    if (prev) {
      duplicates.push({
        line: prev.line,
        reason: `duplicate of line ${item.line} (same Email and Course Slug); line ${item.line} was used`,
        raw: `Email=${prev.record.email}; Course Slug=${prev.record.slug}; Overall Progress=${prev.record.progress}`,
      });
    }
    latest.set(key, item);
  }
  return { latest, duplicates };
}

/** Export lines into the table: a new row for a new pair, changed cells for a known one. */
function upsertExportLines(
  table: ProgressTable,
  latest: ReadonlyMap<string, Line>,
  ctx: SyncContext,
  tally: SyncTally,
): void {
  for (const [key, { record }] of latest) {
    const at = table.rowOf(key);
    if (at === undefined) {
      const spare = table.rekey(progressKey(record.email, ''), key);
      if (spare !== undefined) {
        // The learner's placeholder (roster-gaps.ts) becomes this course's row rather than lingering beside it.
        const pair = pairFromExport(record, approvalVerdict(table.accessor(spare), ctx), ctx);
        const desired = desiredRow(pair, ctx);
        tally.exportLine(record.slug, pair, desired.evaluation);
        tally.row('inserted', table.write(spare, desired.cells));
        continue;
      }
    }
    const pair = pairFromExport(record, at === undefined ? 'none' : approvalVerdict(table.accessor(at), ctx), ctx);
    const desired = desiredRow(pair, ctx);
    tally.exportLine(record.slug, pair, desired.evaluation);
    if (at === undefined) tally.row('inserted', table.append(key, desired.cells));
    else {
      const changed = table.write(at, desired.cells);
      tally.row(changed ? 'updated' : 'unchanged', changed);
    }
  }
}

/** Rows this export does not mention: joins and time-dependent flags (OVERDUE, AT_RISK) still move. */
function refreshUnmentionedRows(table: ProgressTable, ctx: SyncContext, tally: SyncTally): void {
  for (let i = 0; i < table.existingCount; i++) {
    if (table.isTouched(i) || table.isCopy(i)) continue; // a hand-made copy of a row: only the first is ours
    const get = table.accessor(i);
    if (String(get('email') ?? '').trim() === '') continue; // a blank or human note row: not ours
    if (isPlaceholder(get)) continue; // a rostered learner without a course: fillRosterGaps keeps it
    tally.cellsWritten(table.write(i, evaluateProgressRow(get, ctx).cells));
  }
}

/** The figures of one sync, counted here only. Flags and statuses cover the export's own lines. */
type TalliedStats = Omit<SyncStats, 'rejectedAlreadyLogged' | 'duplicateRows' | 'rosterWithoutRecord' | 'encoding'>;

class SyncTally {
  private readonly counts: TalliedStats;
  private readonly noDeadline = new Set<string>();
  private readonly notInCatalog = new Set<string>();

  constructor(batch: ExportBatch, rejected: number) {
    this.counts = {
      source: batch.source,
      sha256: batch.sha256,
      rowsRead: batch.records.length + batch.rejected.length + (batch.rejectedNotKept ?? 0),
      rejected,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      progressCellsWritten: 0,
      flags: counter(FLAGS),
      statuses: counter(STATUSES),
      coursesWithoutDeadline: [],
      coursesNotInCatalog: [],
    };
  }

  /** What the rules said about one export line, and what its course lacks. */
  exportLine(slug: string, pair: Pair, evaluation: Evaluation): void {
    if (!pair.deadline) this.noDeadline.add(slug);
    if (!pair.course) this.notInCatalog.add(slug);
    for (const f of evaluation.flags) this.counts.flags[f]++;
    this.counts.statuses[evaluation.status]++;
  }

  /** An export line's row: added, changed or already as wanted, with the cells that took. */
  row(outcome: 'inserted' | 'updated' | 'unchanged', cellsWritten: number): void {
    this.counts[outcome]++;
    this.cellsWritten(cellsWritten);
  }

  /** Cells written in Progress (rows the export does not mention count here too). */
  cellsWritten(n: number): void {
    this.counts.progressCellsWritten += n;
  }

  stats(): TalliedStats {
    return {
      ...this.counts,
      coursesWithoutDeadline: [...this.noDeadline].sort(),
      coursesNotInCatalog: [...this.notInCatalog].sort(),
    };
  }
}

function counter<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

function progressPlan(table: ProgressTable, progress: TabSnapshot | undefined): TabPlan {
  const updates = table.sortedUpdates();
  return {
    tab: PROGRESS_TAB.name,
    create: progress ? undefined : { header: table.header },
    addColumns: table.added.length ? table.added : undefined,
    updates,
    anchorColumns: progress && updates.length ? anchorColumns(PROGRESS_TAB, table.index) : undefined,
    appends: table.appends,
    formats: progress && !table.added.length ? undefined : PROGRESS_TAB.formats,
    // Only when the tab is new or gained columns: a plain re-sync stays free of formatting requests.
    look: progress && !table.added.length ? undefined : lookOf(PROGRESS_TAB),
  };
}

/** Summaries (rewritten only when a number changed) and the day's History rows. */
function changedSummaries(snapshot: Snapshot, table: ProgressTable, ctx: SyncContext): TabPlan[] {
  const tabs: TabPlan[] = [];
  const progress = { name: PROGRESS_TAB.name, header: table.header, rows: table.rows };
  const summaries = buildSummaries(progress, {
    roster: ctx.roster,
    courses: ctx.courses,
    distinctRows: table.distinctRows,
  });
  const day = formatInZone(ctx.asOf, ctx.settings.timeZone).slice(0, 10); // the as-of day on the university's clock
  const history = historyPlan(
    snapshot[HISTORY_TAB.name],
    day,
    summaries.find((s) => s.tab === SUMMARY_BY_SCHOOL_TAB)!,
  );
  if (history) tabs.push(history);
  for (const s of summaries) {
    const current = snapshot[s.tab.name];
    if (current && sameTable(current, s.header, s.rows)) continue;
    tabs.push({
      tab: s.tab.name,
      replace: { header: s.header, rows: s.rows },
      formats: s.tab.formats,
      numberFormats: s.tab.numberFormats,
      look: lookOf(s.tab),
    });
  }
  return tabs;
}

function syncLogAppend(
  snapshot: Snapshot,
  batch: ExportBatch,
  stats: SyncStats,
  syncedAt: string,
  durationMs: SyncOptions['durationMs'],
): TabPlan {
  return logAppend(snapshot, SYNC_LOG_TAB, [
    {
      'Synced at': syncedAt,
      Source: batch.source,
      'SHA-256': batch.sha256,
      'Rows read': stats.rowsRead,
      Rejected: stats.rejected,
      Inserted: stats.inserted,
      Updated: stats.updated,
      Unchanged: stats.unchanged,
      Flags: FLAGS.filter((f) => stats.flags[f])
        .map((f) => `${f}=${stats.flags[f]}`)
        .join(', '),
      'Duration ms': (typeof durationMs === 'function' ? durationMs() : durationMs) ?? null,
    },
  ]);
}

function sameTable(current: TabSnapshot, header: readonly string[], rows: readonly Row[]): boolean {
  if (current.rows.length !== rows.length || current.header.length < header.length) return false;
  if (header.some((h, i) => current.header[i] !== h)) return false;
  return rows.every((r, i) => r.every((v, j) => sameCell(current.rows[i][j], v)));
}

export class AsOfError extends InputError {}

/** An `--as-of` text (a day, or a date-time) read on the Settings time zone's clock; a clear error otherwise. */
export function parseAsOf(text: string, timeZone: string): number {
  let ms: number | null = null;
  try {
    ms = parseInstant(text, timeZone);
  } catch {
    /* reported below */
  }
  if (ms === null) throw new AsOfError(`--as-of: "${text}" is not a date (use YYYY-MM-DD or an ISO date-time)`);
  return ms;
}
