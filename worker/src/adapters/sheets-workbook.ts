/**
 * The Google Sheets backend (Sheets API v4 through `googleapis`). A sync costs a fixed number of
 * calls whatever the row count:
 *   read:  1 × spreadsheets.get (titles, ids, grid sizes, conditional formats)
 *          1 × values.batchGet for the tabs asked (UNFORMATTED_VALUE)
 *   apply: 1 × spreadsheets.batchUpdate with every write: new tabs, cell updates merged into
 *          blocks, appends, number formats, data validation, conditional formats.
 * One batchUpdate is atomic on Google's side (all requests apply or none), so a sync is all or
 * nothing. Only when the body would pass the API's ~10 MB request limit (a first import of many
 * thousand rows) is it split into several batchUpdates, in plan order with the Sync log last; the
 * sync's upsert by key makes a re-run complete an interrupted import.
 * Values are written as userEnteredValue.stringValue/numberValue/boolValue: imported text is never
 * parsed into a formula, number or date (what `valueInputOption: RAW` does for the values API).
 */
import { google, type sheets_v4 } from 'googleapis';
import { columnLetter, sameAnchor, type Cell, type Row } from '../../../shared/src/cells';
import type { Plan, Snapshot, TabPlan, Workbook } from '../../../shared/src/workbook';
import { withBackoff, type BackoffOptions } from '../http/backoff';
import {
  classifySheetsError,
  describeSheetsError,
  SheetsApiError,
  SheetsWriteOutcomeUnknownError,
} from './sheets/errors';
import { classifyUnsafeWrite, isReplaySafe, outcomeUnknown } from './sheets/replay-safety';
import { serviceAccountFromEnv } from './google-auth';
import { buildRequests, packRequests, PlanMismatchError, type SheetMeta } from './sheets/requests';
import { maxOf } from '../../../shared/src/max-of';

export { SheetsApiError, PlanMismatchError, SheetsWriteOutcomeUnknownError };

type AuthClient = sheets_v4.Options['auth'];

export interface SheetsWorkbookOptions {
  readonly spreadsheetId: string;
  /** A google-auth-library client (GoogleAuth, JWT, OAuth2Client with a token…); see google-auth.ts. */
  readonly auth: AuthClient;
  /** Named in the "share the spreadsheet with … as Editor" message. */
  readonly serviceAccountEmail?: string;
  /** API root; tests point it at the local fake server. Default https://sheets.googleapis.com/ */
  readonly rootUrl?: string;
  readonly backoff?: BackoffOptions;
  /** Largest batchUpdate body before a write is split (Google refuses bodies over 10 MiB). */
  readonly maxRequestBytes?: number;
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number;
}

/** Calls and bytes this workbook made, for logs and the benchmark. */
export interface SheetsStats {
  /** HTTP requests sent, retries included. */
  calls: number;
  retries: number;
  byMethod: Record<string, number>;
  /** JSON request bodies sent, bytes. */
  bytesSent: number;
  /** JSON responses received, bytes (as re-serialised; headers not counted). */
  bytesReceived: number;
}

// Column widths come as grid data without any rowData (the field mask leaves cells out): a few bytes per column.
const META_FIELDS =
  'sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)),conditionalFormats,protectedRanges,data(columnMetadata(pixelSize)))';

export class SheetsWorkbook implements Workbook {
  readonly spreadsheetId: string;
  readonly stats: SheetsStats = { calls: 0, retries: 0, byMethod: {}, bytesSent: 0, bytesReceived: 0 };
  private readonly api: sheets_v4.Sheets;
  /** Metadata as of the last read or write; refreshed when a write depends on exact indices. */
  private meta?: Map<string, SheetMeta>;
  private readonly headers = new Map<string, string[]>();
  /** Rows as last read, per tab: what anchor columns are checked against before a write. */
  private readonly readRows = new Map<string, Row[]>();

  constructor(private readonly options: SheetsWorkbookOptions) {
    this.spreadsheetId = options.spreadsheetId;
    // Node's own fetch: gaxios would otherwise import node-fetch lazily (an ESM dynamic import).
    // Retries are ours (withBackoff), not gaxios's, so each attempt is counted and classified once.
    this.api = google.sheets({
      version: 'v4',
      auth: options.auth,
      rootUrl: options.rootUrl,
      fetchImplementation: fetch,
      retry: false,
    });
  }

  resetStats(): void {
    Object.assign(this.stats, { calls: 0, retries: 0, byMethod: {}, bytesSent: 0, bytesReceived: 0 });
  }

  async read(tabs: readonly string[]): Promise<Snapshot> {
    const action = `reading tabs ${tabs.join(', ')}`;
    const meta = await this.fetchMeta(action);
    const present = tabs.filter((t) => meta.has(t));
    const out: Snapshot = {};
    if (!present.length) return out;
    const res = await this.call('values.batchGet', action, undefined, () =>
      this.api.spreadsheets.values.batchGet(
        {
          spreadsheetId: this.spreadsheetId,
          ranges: present.map(quoteSheetName),
          valueRenderOption: 'UNFORMATTED_VALUE',
          // Dates a human typed come as serial numbers, whatever the sheet's locale; the rules parse them.
          dateTimeRenderOption: 'SERIAL_NUMBER',
          majorDimension: 'ROWS',
        },
        { retry: false, timeout: this.options.timeoutMs },
      ),
    );
    const ranges = res.data.valueRanges ?? [];
    present.forEach((name, i) => {
      const values = (ranges[i]?.values ?? []) as unknown[][];
      const header = (values[0] ?? []).map((v) => (v === null || v === undefined ? '' : String(v)));
      const rows: Row[] = values.slice(1).map((r) => (r ?? []).map(toCell));
      this.headers.set(name, header);
      this.readRows.set(name, rows);
      out[name] = { name, header, rows };
    });
    return out;
  }

  /** One spreadsheets.get (the sync asks only when a layout tab is missing). */
  async listTabs(): Promise<string[]> {
    return [...(await this.fetchMeta('listing tabs')).keys()];
  }

  async apply(plan: Plan): Promise<void> {
    if (!plan.tabs.length) return;
    const action = `writing tabs ${[...new Set(plan.tabs.map((t) => t.tab))].join(', ')}`;
    const cached = this.meta;
    let meta = cached ?? (await this.fetchMeta(action));
    await this.ensureHeaders(plan, meta, action);
    await this.checkAnchors(plan, meta, action);
    let built = this.build(plan, meta);
    if (built.deletesByIndex && cached) {
      // Deleting our old conditional formats goes by index: indices must be as of now, not as of the read.
      meta = await this.fetchMeta(action);
      built = this.build(plan, meta);
    }
    const max = this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    const batches = packRequests(built.requests, max);
    try {
      for (const requests of batches) {
        await this.call(
          'spreadsheets.batchUpdate',
          action,
          { requests },
          () =>
            this.api.spreadsheets.batchUpdate(
              { spreadsheetId: this.spreadsheetId, requestBody: { requests } },
              { retry: false, timeout: this.options.timeoutMs },
            ),
          isReplaySafe(requests),
        );
      }
    } finally {
      // Sheet ids, grid sizes and rules changed (or may have): read them again next time.
      this.meta = undefined;
    }
    for (const t of plan.tabs) {
      const old = this.titleOf(t, meta);
      const h = (t.replace?.header ?? this.headers.get(old) ?? t.create?.header)?.slice();
      if (h && t.headerUpdates?.length && !t.replace) {
        for (const u of t.headerUpdates) h[u.col] = u.value;
      }
      if (h) this.headers.set(t.tab, [...h, ...(t.addColumns ?? [])]);
      const rows = this.readRows.get(old);
      if (old !== t.tab && rows) this.readRows.set(t.tab, rows);
    }
  }

  /** The sheet's title as the spreadsheet has it now: the plan's name, or the name it is renamed from. */
  private titleOf(t: TabPlan, meta: ReadonlyMap<string, SheetMeta>): string {
    return !meta.has(t.tab) && t.renameFrom && meta.has(t.renameFrom) ? t.renameFrom : t.tab;
  }

  private build(plan: Plan, meta: Map<string, SheetMeta>) {
    const used = new Set([...meta.values()].map((s) => s.sheetId));
    const newSheetId = () => {
      let id: number;
      do id = 1 + Math.floor(Math.random() * 2_000_000_000);
      while (used.has(id));
      used.add(id);
      return id;
    };
    // Grid sizes are mutated while building; work on copies.
    const sheets = new Map([...meta].map(([k, v]) => [k, { ...v }]));
    try {
      return buildRequests({
        plan,
        sheets,
        headers: this.headers,
        newSheetId,
        maxRequestBytes: this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
        self: this.options.serviceAccountEmail,
      });
    } catch (e) {
      if (e instanceof PlanMismatchError)
        throw new SheetsApiError(
          `Cannot apply the sync to spreadsheet ${this.spreadsheetId}: ${e.message}. Nothing was written.`,
          undefined,
          true,
          undefined,
          { cause: e },
        );
      throw e;
    }
  }

  /**
   * People keep working in the sheet during a sync. Updates address rows by index, so before
   * writing, the anchor columns (Email, Course slug) of the rows as read are fetched again; if a
   * row was inserted, deleted or the tab sorted in between, nothing is written and the sync fails
   * as retryable (the next attempt reads the new order). One extra read call, whatever the size.
   */
  private async checkAnchors(plan: Plan, meta: ReadonlyMap<string, SheetMeta>, action: string): Promise<void> {
    const checks = plan.tabs.filter(
      (t) =>
        t.anchorColumns?.length &&
        (t.updates?.length || t.deleteRows?.length) &&
        this.readRows.has(this.titleOf(t, meta)),
    );
    if (!checks.length) return;
    const ranges = checks.flatMap((t) =>
      t.anchorColumns!.map((c) => `${quoteSheetName(this.titleOf(t, meta))}!${columnLetter(c)}2:${columnLetter(c)}`),
    );
    const res = await this.call('values.batchGet', action, undefined, () =>
      this.api.spreadsheets.values.batchGet(
        { spreadsheetId: this.spreadsheetId, ranges, valueRenderOption: 'UNFORMATTED_VALUE', majorDimension: 'ROWS' },
        { retry: false, timeout: this.options.timeoutMs },
      ),
    );
    let r = 0;
    for (const t of checks) {
      const before = this.readRows.get(this.titleOf(t, meta))!;
      const lastRow = Math.max(
        maxOf(t.updates ?? [], (u) => u.row),
        maxOf(t.deleteRows ?? [], (r) => r),
      );
      const missing = t.deleteRows?.find((r) => r >= before.length);
      if (missing !== undefined) {
        throw new SheetsApiError(
          `Cannot apply the change to spreadsheet ${this.spreadsheetId}: the "${t.tab}" tab has no row ${missing + 2} to delete. Nothing was written.`,
          undefined,
          true,
        );
      }
      for (const c of t.anchorColumns!) {
        const now = ((res.data.valueRanges?.[r++]?.values ?? []) as unknown[][]).map((row) => toCell(row?.[0]));
        for (let i = 0; i <= lastRow; i++) {
          if (!sameAnchor(before[i]?.[c], now[i])) {
            throw new SheetsApiError(
              `The "${t.tab}" tab of spreadsheet ${this.spreadsheetId} changed while syncing (row ${i + 2} was "${String(before[i]?.[c] ?? '')}", now "${String(now[i] ?? '')}": rows were inserted, deleted or sorted). Nothing was written; the sync will read the tab again.`,
              409,
              false,
            );
          }
        }
      }
    }
  }

  /** Tabs that get columns, formats or validations but were not read by this instance: fetch their header row. */
  private async ensureHeaders(plan: Plan, meta: Map<string, SheetMeta>, action: string): Promise<void> {
    const missing = [
      ...new Set(
        plan.tabs
          .map((t) => ({ t, title: this.titleOf(t, meta) }))
          .filter(({ t, title }) => meta.has(title) && !t.replace && !this.headers.has(title) && needsHeader(t))
          .map(({ title }) => title),
      ),
    ];
    if (!missing.length) return;
    const res = await this.call('values.batchGet', action, undefined, () =>
      this.api.spreadsheets.values.batchGet(
        {
          spreadsheetId: this.spreadsheetId,
          ranges: missing.map((t) => `${quoteSheetName(t)}!1:1`),
          valueRenderOption: 'UNFORMATTED_VALUE',
        },
        { retry: false, timeout: this.options.timeoutMs },
      ),
    );
    missing.forEach((t, i) =>
      this.headers.set(
        t,
        ((res.data.valueRanges?.[i]?.values?.[0] ?? []) as unknown[]).map((v) =>
          v === null || v === undefined ? '' : String(v),
        ),
      ),
    );
  }

  private async fetchMeta(action: string): Promise<Map<string, SheetMeta>> {
    const res = await this.call('spreadsheets.get', action, undefined, () =>
      this.api.spreadsheets.get(
        { spreadsheetId: this.spreadsheetId, fields: META_FIELDS, includeGridData: false },
        { retry: false, timeout: this.options.timeoutMs },
      ),
    );
    const meta = new Map<string, SheetMeta>();
    for (const s of res.data.sheets ?? []) {
      const p = s.properties ?? {};
      if (p.title === undefined || p.title === null) continue;
      meta.set(p.title, {
        sheetId: p.sheetId ?? 0,
        title: p.title,
        rowCount: p.gridProperties?.rowCount ?? 1000,
        columnCount: p.gridProperties?.columnCount ?? 26,
        frozenRowCount: p.gridProperties?.frozenRowCount ?? 0,
        frozenColumnCount: p.gridProperties?.frozenColumnCount ?? 0,
        columnWidths: (s.data?.[0]?.columnMetadata ?? []).map((m) => m.pixelSize ?? 0),
        conditionalFormats: s.conditionalFormats ?? [],
        protectedRanges: s.protectedRanges ?? [],
      });
    }
    this.meta = meta;
    return meta;
  }

  /**
   * One API call with backoff, counted; failures become SheetsApiError with an admin-readable
   * message. A write that is not `replaySafe` is resent only when it provably was not applied; an
   * ambiguous failure of it becomes SheetsWriteOutcomeUnknownError (runSync re-reads and re-plans).
   */
  private async call<T extends { data: unknown }>(
    method: string,
    action: string,
    body: unknown,
    fn: () => Promise<T>,
    replaySafe = true,
  ): Promise<T> {
    const sent = body === undefined ? 0 : Buffer.byteLength(JSON.stringify(body));
    const ctx = { spreadsheetId: this.spreadsheetId, serviceAccountEmail: this.options.serviceAccountEmail, action };
    try {
      return await withBackoff(
        async (attempt) => {
          this.stats.calls++;
          if (attempt) this.stats.retries++;
          this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
          this.stats.bytesSent += sent;
          const res = await fn();
          this.stats.bytesReceived += Buffer.byteLength(JSON.stringify(res.data ?? ''));
          return res;
        },
        replaySafe ? classifySheetsError : classifyUnsafeWrite,
        this.options.backoff,
        (error, attempts) => describeSheetsError(error, ctx, attempts),
      );
    } catch (e) {
      if (e instanceof SheetsApiError) throw e;
      if (!replaySafe && outcomeUnknown(e)) throw new SheetsWriteOutcomeUnknownError(e, ctx);
      throw describeSheetsError(e, ctx);
    }
  }
}

/** Plans that address columns by position or by header need the tab's header row. */
function needsHeader(t: TabPlan): boolean {
  return !!(
    t.addColumns?.length ||
    t.formats ||
    t.numberFormats ||
    t.validations?.length ||
    t.look?.widths ||
    t.updates?.length ||
    t.deleteRows?.length ||
    t.headerUpdates?.length ||
    t.protections
  );
}

/** Google refuses request bodies over 10 MiB; stay well below. */
export const DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** A1 sheet reference: always quoted, quotes doubled (`'Summary by school'`, `'It''s'`). */
export function quoteSheetName(title: string): string {
  return `'${title.replace(/'/g, "''")}'`;
}

function toCell(v: unknown): Cell {
  if (v === '' || v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** A spreadsheet id from the id itself or a sheet URL (`…/spreadsheets/d/<id>/edit#gid=0`). */
export function parseSpreadsheetId(input: string): string {
  const t = input.trim();
  const m = /\/spreadsheets\/d\/([a-zA-Z0-9-_]+)/.exec(t);
  if (m) return m[1];
  if (/^[a-zA-Z0-9-_]{10,}$/.test(t)) return t;
  throw new Error(
    `"${input}" is not a Google Sheets id or URL (expected https://docs.google.com/spreadsheets/d/<id>/edit or the id)`,
  );
}

/** The production wiring: service account from GOOGLE_APPLICATION_CREDENTIALS, id or URL of the sheet. */
export function openSheetsWorkbook(
  idOrUrl: string,
  options: { env?: NodeJS.ProcessEnv } & Partial<Omit<SheetsWorkbookOptions, 'spreadsheetId' | 'auth'>> = {},
): SheetsWorkbook {
  const { env, ...rest } = options;
  const creds = serviceAccountFromEnv(env);
  return new SheetsWorkbook({
    spreadsheetId: parseSpreadsheetId(idOrUrl),
    auth: creds.auth,
    serviceAccountEmail: creds.serviceAccountEmail,
    ...rest,
  });
}
