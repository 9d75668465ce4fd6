/**
 * The sync as a pure function: (workbook snapshot, validated export lines) → plan of cell changes.
 * Upsert by (e-mail lower-cased, course slug); only cells whose value changed are written; human-
 * owned and user-added columns are never in the plan; row order is stable; new rows go at the end.
 */
import { sameCell, type Cell, type Row } from './cells';
import { capText, type ExportRecord, type RejectedRow } from './export-record';
import {
  LAYOUT,
  PROGRESS_TAB,
  anchorColumns,
  validationsOf,
  REJECTED_ROWS_TAB,
  SYNC_LOG_TAB,
  headersOf,
  indexColumns,
  workingHeader,
  type ColumnIndex,
  type TabDef,
} from './layout';
import {
  EXPORT_CELL_KEYS,
  exportCells,
  type ExportCells,
  factsFromCells,
  factsFromRecord,
  progressKey,
  readCourses,
  readRoster,
  rowAccessor,
  type CourseEntry,
  type RosterEntry,
} from './progress-row';
import { evaluate, FLAGS, STATUSES, type Flag, type Status } from './rules';
import { readSettings, type Settings } from './settings';
import { buildSummaries } from './summary';
import { formatInZone, parseInstant } from './time';
import type { CellUpdate, Plan, Snapshot, TabPlan, TabSnapshot } from './workbook';
import { InputError } from './errors';

/** Tabs the sync reads. */
export const SYNC_TABS = LAYOUT.map((t) => t.name);

export interface ExportBatch {
  /** File name (or API program) as shown in the log. */
  readonly source: string;
  readonly sha256: string;
  readonly records: readonly { line: number; record: ExportRecord }[];
  readonly rejected: readonly RejectedRow[];
  /** Older exports have no certificate URL column: then `Completed = Yes` is the certificate. */
  readonly hasCertificateColumn: boolean;
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
  /** Filled into the log after the write; the plan carries a placeholder otherwise. */
  readonly durationMs?: number;
}

/** The plan that creates every missing tab of the layout (the template). */
export function templatePlan(snapshot: Snapshot): TabPlan[] {
  return LAYOUT.filter((t) => !snapshot[t.name]).map((t) => {
    const validations = validationsOf(t);
    return {
      tab: t.name,
      create: { header: headersOf(t) },
      appends: t.seedRows?.map((r) => [...r]),
      formats: t.formats,
      numberFormats: t.numberFormats,
      validations: validations.length ? validations : undefined,
    };
  });
}

function counter<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

export function planSync(snapshot: Snapshot, batch: ExportBatch, options: SyncOptions): SyncResult {
  const settings = readSettings(snapshot.Settings);
  const tz = settings.timeZone;
  const roster = readRoster(snapshot.Roster);
  const courses = readCourses(snapshot.Courses);
  const asOf = typeof options.asOf === 'number' ? options.asOf : parseAsOf(options.asOf, tz);
  const syncedAt = options.syncedAt ?? asOf;

  const progress = snapshot[PROGRESS_TAB.name];
  const { header, added } = workingHeader(PROGRESS_TAB, progress);
  const idx = indexColumns(PROGRESS_TAB, header);
  const width = header.length;
  const rows: Row[] = (progress?.rows ?? []).map((r) => r.slice());
  const existingCount = rows.length;

  const syncColumns = PROGRESS_TAB.columns.filter((c) => c.owner === 'sync').map((c) => ({ key: c.key, at: idx[c.key] }));
  const rowByKey = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = progressKey(r[idx.email], r[idx.slug]);
    if (!rowByKey.has(key)) rowByKey.set(key, i);
  });

  // Within one export the later line of a duplicated (email, course) wins; the earlier is reported.
  const rejected: RejectedRow[] = [...batch.rejected];
  const latest = new Map<string, { line: number; record: ExportRecord }>();
  for (const item of batch.records) {
    const key = progressKey(item.record.email, item.record.slug);
    const prev = latest.get(key);
    if (prev) {
      rejected.push({
        line: prev.line,
        reason: `duplicate of line ${item.line} (same Email and Course Slug); line ${item.line} was used`,
        raw: `Email=${prev.record.email}; Course Slug=${prev.record.slug}; Overall Progress=${prev.record.progress}`,
      });
    }
    latest.set(key, item);
  }

  const stats: SyncStats = {
    source: batch.source,
    sha256: batch.sha256,
    rowsRead: batch.records.length + batch.rejected.length,
    rejected: rejected.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    progressCellsWritten: 0,
    flags: counter(FLAGS),
    statuses: counter(STATUSES),
    coursesWithoutDeadline: [],
    coursesNotInCatalog: [],
  };
  const noDeadline = new Set<string>();
  const notInCatalog = new Set<string>();

  const updates: CellUpdate[] = [];
  const appends: Row[] = [];
  /** Existing rows this export mentions (the rest are re-evaluated from their cells). */
  const touched = new Uint8Array(existingCount);

  const desiredCells = (
    base: Record<string, Cell> & { [K in (typeof EXPORT_CELL_KEYS)[number] | 'fullName' | 'studentId']: Cell },
    roster: RosterEntry | undefined,
    course: CourseEntry | undefined,
    facts: ReturnType<typeof factsFromCells>,
    approved: boolean,
    slug: string,
    countIt: boolean,
  ): Record<string, Cell> => {
    const deadline = course?.deadline ?? settings.defaultDeadline;
    const ev = evaluate(
      {
        engagement: facts.engagement,
        completed: facts.completed,
        completedAt: facts.completedAt,
        certificate: facts.certificate,
        removed: facts.removed,
        lastActivityAt: facts.lastActivityAt,
        deadline,
        approved,
        onRoster: roster ? true : rosterSize ? false : null,
      },
      settings,
      asOf,
    );
    if (countIt) {
      if (!deadline) noDeadline.add(slug);
      if (!course) notInCatalog.add(slug);
      for (const f of ev.flags) stats.flags[f]++;
      stats.statuses[ev.status]++;
    }
    // One literal with every key in a fixed order: a single object shape keeps 100k rows fast.
    return {
      email: base.email,
      fullName: roster?.fullName || base.fullName || null,
      studentId: roster?.studentId || base.studentId || null,
      iin: roster?.iin || null,
      school: roster?.school || null,
      group: roster?.group || null,
      course: course?.course || base.course || null,
      slug: base.slug,
      discipline: course?.discipline || null,
      model: course?.model || null,
      mentor: course?.mentor || null,
      deadline,
      enrolledAt: base.enrolledAt,
      lastActivityAt: base.lastActivityAt,
      engagement: base.engagement,
      learningHours: base.learningHours,
      completed: base.completed,
      completedAt: base.completedAt,
      grade: base.grade,
      certificateUrl: base.certificateUrl,
      removed: base.removed,
      flags: ev.flags.join(', '),
      status: ev.status,
    };
  };
  const rosterSize = roster.size;

  const writeRow = (rowIndex: number, desired: Record<string, Cell>, countStats: boolean) => {
    const row = rows[rowIndex];
    let changed = 0;
    for (const { key, at } of syncColumns) {
      const value = desired[key] ?? null;
      if (!sameCell(row[at], value)) {
        updates.push({ row: rowIndex, col: at, value });
        row[at] = value;
        changed++;
      }
    }
    stats.progressCellsWritten += changed;
    if (countStats) {
      if (changed) stats.updated++;
      else stats.unchanged++;
    }
    if (rowIndex < existingCount) touched[rowIndex] = 1;
  };

  for (const [key, { record }] of latest) {
    const r = roster.get(record.email);
    const course = courses.get(record.slug.toLowerCase());
    const base = exportCells(record, tz);
    const facts = factsFromRecord(record, batch.hasCertificateColumn);
    const at = rowByKey.get(key);
    if (at === undefined) {
      const desired = desiredCells(base, r, course, facts, false, record.slug, true);
      const row: Row = new Array(width).fill(null);
      let written = 0;
      for (const { key: k, at: col } of syncColumns) {
        const v = desired[k] ?? null;
        row[col] = v;
        if (v !== null) written++;
      }
      rowByKey.set(key, rows.length);
      rows.push(row);
      appends.push(row);
      stats.inserted++;
      stats.progressCellsWritten += written;
    } else {
      const get = rowAccessor(idx, rows[at]);
      const desired = desiredCells(base, r, course, facts, !!get('approvedBy') && String(get('approvedBy')).trim() !== '', record.slug, true);
      writeRow(at, desired, true);
    }
  }

  // Rows this export does not mention: joins and time-dependent flags (OVERDUE, AT_RISK) still move.
  for (let i = 0; i < existingCount; i++) {
    if (touched[i]) continue;
    const get = rowAccessor(idx, rows[i]);
    if (String(get('email') ?? '').trim() === '') continue; // a blank or human note row: not ours
    const email = String(get('email')).trim().toLowerCase();
    const slug = String(get('slug') ?? '').trim();
    const base = { fullName: get('fullName'), studentId: get('studentId') } as Record<string, Cell> & ExportCells & { fullName: Cell; studentId: Cell };
    for (const k of EXPORT_CELL_KEYS) base[k] = get(k);
    const approved = String(get('approvedBy') ?? '').trim() !== '';
    writeRow(i, desiredCells(base, roster.get(email), courses.get(slug.toLowerCase()), factsFromCells(get, tz), approved, slug, false), false);
  }

  stats.coursesWithoutDeadline = [...noDeadline].sort();
  stats.coursesNotInCatalog = [...notInCatalog].sort();

  const tabs: TabPlan[] = templatePlan(snapshot).filter((t) => t.tab !== PROGRESS_TAB.name && t.tab !== SYNC_LOG_TAB.name && t.tab !== REJECTED_ROWS_TAB.name && !t.tab.startsWith('Summary'));
  tabs.push({
    tab: PROGRESS_TAB.name,
    create: progress ? undefined : { header },
    addColumns: added.length ? added : undefined,
    updates: updateOrder(updates),
    anchorColumns: progress && updates.length ? anchorColumns(PROGRESS_TAB, idx) : undefined,
    appends,
    formats: progress && !added.length ? undefined : PROGRESS_TAB.formats,
  });

  // Summaries: rewritten only when a number changed.
  for (const s of buildSummaries({ name: PROGRESS_TAB.name, header, rows })) {
    const current = snapshot[s.tab.name];
    if (current && sameTable(current, s.header, s.rows)) continue;
    tabs.push({ tab: s.tab.name, replace: { header: s.header, rows: s.rows }, formats: s.tab.formats, numberFormats: s.tab.numberFormats });
  }

  const at = formatInZone(syncedAt, tz);
  const flagText = FLAGS.filter((f) => stats.flags[f]).map((f) => `${f}=${stats.flags[f]}`).join(', ');
  tabs.push(
    logAppend(snapshot, SYNC_LOG_TAB, {
      'Synced at': at,
      Source: batch.source,
      'SHA-256': batch.sha256,
      'Rows read': stats.rowsRead,
      Rejected: stats.rejected,
      Inserted: stats.inserted,
      Updated: stats.updated,
      Unchanged: stats.unchanged,
      Flags: flagText,
      'Duration ms': options.durationMs ?? null,
    }),
  );
  if (!rejected.length && !snapshot[REJECTED_ROWS_TAB.name]) {
    tabs.push({ tab: REJECTED_ROWS_TAB.name, create: { header: headersOf(REJECTED_ROWS_TAB) } });
  } else if (rejected.length) {
    const sorted = [...rejected].sort((a, b) => a.line - b.line);
    tabs.push(logAppend(snapshot, REJECTED_ROWS_TAB, ...sorted.map((r) => ({ 'Synced at': at, Source: batch.source, Line: r.line, Reason: capText(r.reason), Raw: capText(r.raw) }))));
  }
  return { plan: { tabs }, stats, settings };
}

/** Updates sorted by row then column, so backends can merge neighbours into ranges. */
function updateOrder(updates: CellUpdate[]): CellUpdate[] {
  return updates.sort((a, b) => a.row - b.row || a.col - b.col);
}

function sameTable(current: TabSnapshot, header: readonly string[], rows: readonly Row[]): boolean {
  if (current.rows.length !== rows.length || current.header.length < header.length) return false;
  if (header.some((h, i) => current.header[i] !== h)) return false;
  return rows.every((r, i) => r.every((v, j) => sameCell(current.rows[i][j], v)));
}

/** Appends to a log tab, laid out by its actual header (users may reorder log columns too). */
function logAppend(snapshot: Snapshot, tab: TabDef, ...records: Record<string, Cell>[]): TabPlan {
  const existing = snapshot[tab.name];
  const { header, added } = workingHeader(tab, existing);
  const idx: ColumnIndex = indexColumns(tab, header);
  const rows = records.map((rec) => {
    const row: Row = new Array(header.length).fill(null);
    for (const c of tab.columns) row[idx[c.key]] = rec[c.header] ?? null;
    return row;
  });
  return { tab: tab.name, create: existing ? undefined : { header }, addColumns: added.length ? added : undefined, appends: rows };
}

export class AsOfError extends InputError {}

function parseAsOf(text: string, timeZone: string): number {
  let ms: number | null = null;
  try {
    ms = parseInstant(text, timeZone);
  } catch {
    /* reported below */
  }
  if (ms === null) throw new AsOfError(`--as-of: "${text}" is not a date (use YYYY-MM-DD or an ISO date-time)`);
  return ms;
}
