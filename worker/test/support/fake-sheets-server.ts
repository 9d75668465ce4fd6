/**
 * A local stand-in for Google's Sheets API v4 at the HTTP level: the real `googleapis` client talks
 * to it through `rootUrl`. It keeps an in-memory grid per spreadsheet and behaves like the real
 * service where our code depends on it:
 * - A1 ranges with quoted sheet names (`'Summary by school'!A1:K20`, `'It''s'`, `Sheet1`, `A1:B2`);
 * - RAW vs USER_ENTERED (`=1+1` typed by a user becomes a formula, `+1` a number, `'x` text);
 *   `userEnteredValue.stringValue` is text, `formulaValue` a formula;
 * - `spreadsheets.batchUpdate` is all-or-nothing and runs its requests in order;
 * - grid limits (writing outside the grid is a 400), the 10 MiB request payload limit;
 * - Google-shaped errors: 400 bad range / unknown sheet, 401 without the expected token, 403 when
 *   not shared, 404 unknown spreadsheet, and injected 429 (with Retry-After) / 5xx responses —
 *   also *after* the request was applied, or as a connection dropped before any response (the
 *   ambiguous failures a client cannot tell from "not applied");
 * - `boundedConditionalFormatRanges`: conditional-format ranges stored with an end row and column,
 *   as Google may return them, instead of open-ended as sent;
 * - a hook to change the grid between a read and a write (the human edit), counters of calls/bytes.
 * Reusable by the Sheets adapter tests, the BullMQ worker tests and the benchmark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cell } from '../../../shared/src/cells';

/** A stored cell: text, number, boolean, or a formula as typed. */
export type FakeCell = string | number | boolean | { formula: string } | undefined;

export interface FakeSheet {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  frozenColumnCount: number;
  /** Column index → width in pixels, where set (Google's default is 100). */
  columnWidths: Map<number, number>;
  rows: FakeCell[][];
  conditionalFormats: unknown[];
  /**
   * Cell formats as written (updateCells, repeatCell), in order: a cell's userEnteredFormat is the
   * layers over it applied in turn, each setting only the fields of its mask (as Google does).
   */
  formatLayers: FormatLayer[];
  /** Column index → the data-validation rule set on that column (rows 2…), for assertions. */
  validations: Map<number, unknown>;
  /** Protected ranges as stored (add/update/deleteProtectedRange), returned by spreadsheets.get. */
  protectedRanges: FakeProtectedRange[];
}

export interface FormatLayer {
  /** 0-based; end exclusive, undefined = to the edge of the grid. */
  r0: number;
  r1?: number;
  c0: number;
  c1?: number;
  format: Record<string, unknown>;
  /** Paths under userEnteredFormat ('' = all of it). */
  paths: string[];
}

/** Google's default column width. */
export const DEFAULT_COLUMN_PIXELS = 100;

export interface FakeProtectedRange {
  protectedRangeId: number;
  range: {
    sheetId: number;
    startRowIndex?: number;
    endRowIndex?: number;
    startColumnIndex?: number;
    endColumnIndex?: number;
  };
  description?: string;
  warningOnly?: boolean;
  editors?: { users?: string[]; groups?: string[]; domainUsersCanEdit?: boolean };
  requestingUserCanEdit?: boolean;
}

export interface FakeSpreadsheet {
  id: string;
  title: string;
  sheets: FakeSheet[];
  forbidden: boolean;
}

export type ApiMethod =
  | 'spreadsheets.create'
  | 'spreadsheets.get'
  | 'spreadsheets.batchUpdate'
  | 'values.get'
  | 'values.batchGet'
  | 'values.update'
  | 'values.batchUpdate';

export interface Fault {
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  message?: string;
  /** Only for this method (default: any). */
  method?: ApiMethod;
  /** How many requests to fail (default 1; Infinity for a storm). */
  times?: number;
  /** Apply the request first, then fail it: the client sees an error for a write that happened. */
  afterApply?: boolean;
  /** Destroy the socket instead of answering (`status` is then unused): no response at all. */
  dropConnection?: boolean;
}

export interface FakeStats {
  calls: number;
  byMethod: Partial<Record<ApiMethod, number>>;
  /** Request bodies received, bytes. */
  bytesIn: number;
  /** Response bodies sent, bytes. */
  bytesOut: number;
  /** Responses with status >= 400. */
  errors: number;
}

export const PAYLOAD_LIMIT = 10_485_760;
/** Google refuses a write that puts more than this many characters in one cell (the whole request fails). */
export const CELL_CHAR_LIMIT = 50_000;
const CELL_LIMIT_MESSAGE = `Your input contains more than the maximum of ${CELL_CHAR_LIMIT} characters in a single cell.`;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
};

// ---------------------------------------------------------------- A1 notation

export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export const quoteSheet = (title: string) => `'${title.replace(/'/g, "''")}'`;

interface GridBox {
  /** 0-based, inclusive start; end exclusive; undefined end = to the edge of the grid. */
  r0: number;
  c0: number;
  r1?: number;
  c1?: number;
}

interface ParsedRange {
  sheet?: string;
  box?: GridBox;
}

const CELL = /^([A-Za-z]{1,3})?(\d+)?$/;

function parseBox(text: string): GridBox | null {
  const [a, b, extra] = text.split(':');
  if (extra !== undefined || !a) return null;
  const ma = CELL.exec(a);
  const mb = b === undefined ? ma : CELL.exec(b);
  if (!ma || !mb || (!ma[1] && !ma[2]) || (!mb[1] && !mb[2])) return null;
  const box: GridBox = { r0: ma[2] ? Number(ma[2]) - 1 : 0, c0: ma[1] ? columnIndex(ma[1]) : 0 };
  if (mb[2]) box.r1 = Number(mb[2]);
  else if (b === undefined) box.r1 = undefined;
  if (mb[1]) box.c1 = columnIndex(mb[1]) + 1;
  if (b === undefined && ma[1] && ma[2]) {
    box.r1 = box.r0 + 1;
    box.c1 = box.c0 + 1;
  }
  if ((ma[2] && Number(ma[2]) < 1) || (mb[2] && Number(mb[2]) < 1)) return null;
  if ((box.r1 !== undefined && box.r1 <= box.r0) || (box.c1 !== undefined && box.c1 <= box.c0)) return null;
  return box;
}

/** `'Sheet name'!A1:B2`, `Sheet1!A:A`, `'Sheet'`, `A1:B2`. Null when it cannot be parsed. */
export function parseRange(text: string): ParsedRange | null {
  const t = text.trim();
  if (t.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < t.length; i++) {
      if (t[i] === "'") {
        if (t[i + 1] === "'") {
          name += "'";
          i++;
        } else break;
      } else name += t[i];
    }
    if (i >= t.length) return null;
    const rest = t.slice(i + 1);
    if (rest === '') return { sheet: name };
    if (!rest.startsWith('!')) return null;
    const box = parseBox(rest.slice(1));
    return box ? { sheet: name, box } : null;
  }
  const bang = t.lastIndexOf('!');
  if (bang >= 0) {
    const box = parseBox(t.slice(bang + 1));
    return box ? { sheet: t.slice(0, bang), box } : null;
  }
  // No "!": a sheet name, or a cell range on the first sheet; the caller decides with the sheet list.
  return { sheet: t, box: parseBox(t) ?? undefined };
}

// ---------------------------------------------------------------- values

const EPOCH_1899 = Date.UTC(1899, 11, 30);

/** What a user typing `text` into a cell gets (USER_ENTERED). */
export function userEntered(text: string): FakeCell {
  if (text === '') return undefined;
  if (text.startsWith("'")) return text.slice(1);
  if (text.startsWith('=')) return { formula: text };
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  if (/^[+-]?(\d+\.?\d*|\.\d+)%$/.test(t)) return Number(t.slice(0, -1)) / 100;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  const d = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (d) return (Date.UTC(+d[1], +d[2] - 1, +d[3], +(d[4] ?? 0), +(d[5] ?? 0), +(d[6] ?? 0)) - EPOCH_1899) / 86_400_000;
  if (/^[+-]/.test(t) && /^[-+*/().\d\s]+$/.test(t)) return { formula: `=${t}` };
  return text;
}

/** A tiny evaluator: arithmetic and HYPERLINK(url, label); anything else is #NAME?. */
export function evaluateFormula(formula: string): string | number {
  const body = formula.replace(/^=/, '').trim();
  const link = /^HYPERLINK\(\s*"([^"]*)"\s*(?:,\s*"([^"]*)"\s*)?\)$/i.exec(body);
  if (link) return link[2] ?? link[1];
  let i = 0;
  const src = body.replace(/\s+/g, '');
  const fail = () => {
    throw new Error('#ERROR!');
  };
  const num = (): number => {
    if (src[i] === '(') {
      i++;
      const v = expr();
      if (src[i++] !== ')') fail();
      return v;
    }
    if (src[i] === '-' || src[i] === '+') return src[i++] === '-' ? -num() : num();
    const m = /^(\d+\.?\d*|\.\d+)/.exec(src.slice(i));
    if (!m) fail();
    i += m![0].length;
    return Number(m![0]);
  };
  const term = (): number => {
    let v = num();
    while (src[i] === '*' || src[i] === '/') v = src[i++] === '*' ? v * num() : v / num();
    return v;
  };
  const expr = (): number => {
    let v = term();
    while (src[i] === '+' || src[i] === '-') v = src[i++] === '+' ? v + term() : v - term();
    return v;
  };
  try {
    const v = expr();
    return i === src.length ? v : '#NAME?';
  } catch {
    return '#NAME?';
  }
}

function effective(cell: FakeCell): Cell {
  if (cell === undefined) return null;
  if (typeof cell === 'object') return evaluateFormula(cell.formula);
  return cell;
}

function rendered(cell: FakeCell, option: string): string | number | boolean {
  if (cell === undefined) return '';
  if (option === 'FORMULA' && typeof cell === 'object') return cell.formula;
  const v = effective(cell);
  if (option === 'UNFORMATTED_VALUE' || option === 'FORMULA') return v ?? '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return v === null ? '' : String(v);
}

function checkedLength(text: string): string {
  if (text.length > CELL_CHAR_LIMIT) throw new ApiError(400, CELL_LIMIT_MESSAGE);
  return text;
}

function fromExtendedValue(v: Record<string, unknown> | undefined, where: string): FakeCell {
  if (!v) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1)
    throw new ApiError(
      400,
      `Invalid value at '${where}' (oneof kind): exactly one of stringValue, numberValue, boolValue, formulaValue must be set`,
    );
  if ('stringValue' in v) return checkedLength(String(v.stringValue));
  if ('numberValue' in v) {
    if (typeof v.numberValue !== 'number')
      throw new ApiError(400, `Invalid value at '${where}.number_value' (TYPE_DOUBLE)`);
    return v.numberValue;
  }
  if ('boolValue' in v) return Boolean(v.boolValue);
  if ('formulaValue' in v) return { formula: checkedLength(String(v.formulaValue)) };
  throw new ApiError(400, `Invalid JSON payload received. Unknown name "${keys[0]}" at '${where}'`);
}

// ---------------------------------------------------------------- the server

type Undo = () => void;

export class FakeSheetsServer {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  stats: FakeStats = FakeSheetsServer.zeroStats();
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  requiredToken?: string;
  /** Store added conditional-format ranges with end row/column filled in (to the grid's size then). */
  boundedConditionalFormatRanges = false;
  /** Every request in order (method, spreadsheet, status), for assertions. */
  readonly log: { method: ApiMethod | 'unknown'; spreadsheetId?: string; status: number }[] = [];
  private faults: (Fault & { times: number })[] = [];
  private hooks: { method?: ApiMethod; fn: (ss: FakeSpreadsheet | undefined, server: FakeSheetsServer) => void }[] = [];
  private nextSheetId = 1000;
  private nextProtectedRangeId = 5000;
  private constructor(
    private readonly server: http.Server,
    readonly rootUrl: string,
  ) {}

  static async start(options: { requiredToken?: string } = {}): Promise<FakeSheetsServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new FakeSheetsServer(server, `http://127.0.0.1:${port}/`);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void self.handle(req, res));
    self.requiredToken = options.requiredToken;
    return self;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections?.();
      this.server.close(() => resolve());
    });
  }

  static zeroStats(): FakeStats {
    return { calls: 0, byMethod: {}, bytesIn: 0, bytesOut: 0, errors: 0 };
  }

  resetStats(): void {
    this.stats = FakeSheetsServer.zeroStats();
    this.log.length = 0;
  }

  /** A new spreadsheet; `tabs` are filled as a user would type them (USER_ENTERED) unless `raw`. */
  createSpreadsheet(
    options: {
      id?: string;
      title?: string;
      tabs?: Record<string, (string | number | boolean | null)[][]>;
      raw?: boolean;
    } = {},
  ): string {
    const id = options.id ?? `fake-${Math.random().toString(36).slice(2, 12)}`;
    const ss: FakeSpreadsheet = { id, title: options.title ?? 'Untitled spreadsheet', sheets: [], forbidden: false };
    const tabs = options.tabs ?? { Sheet1: [] };
    for (const [title, rows] of Object.entries(tabs)) {
      const sheet = this.newSheet(ss, { title });
      ss.sheets.push(sheet);
      rows.forEach((r, i) =>
        r.forEach((v, j) =>
          this.put(sheet, i, j, v === null ? undefined : options.raw || typeof v !== 'string' ? v : userEntered(v)),
        ),
      );
      sheet.rowCount = Math.max(sheet.rowCount, rows.length);
    }
    this.spreadsheets.set(id, ss);
    return id;
  }

  spreadsheet(id: string): FakeSpreadsheet {
    const ss = this.spreadsheets.get(id);
    if (!ss) throw new Error(`fake: no spreadsheet ${id}`);
    return ss;
  }

  sheet(id: string, title: string): FakeSheet {
    const s = this.spreadsheet(id).sheets.find((x) => x.title === title);
    if (!s) throw new Error(`fake: no sheet ${title} in ${id}`);
    return s;
  }

  /** The stored cell (formula object, text, number…) at a 0-based position. */
  cell(id: string, title: string, row: number, col: number): FakeCell {
    return this.sheet(id, title).rows[row]?.[col];
  }

  /** What a reader sees: effective values, trailing blanks cut, blanks as null. */
  values(id: string, title: string): Cell[][] {
    const rows = this.sheet(id, title).rows.map((r) =>
      Array.from({ length: r?.length ?? 0 }, (_, j) => effective(r[j])),
    );
    return trimRows(rows).map((r) => r.map((v) => (v === '' ? null : v)));
  }

  /** A human typing into the sheet (USER_ENTERED by default), e.g. between a sync's read and write. */
  type(
    id: string,
    title: string,
    a1: string,
    rows: (string | number | boolean | null)[][],
    input: 'USER_ENTERED' | 'RAW' = 'USER_ENTERED',
  ): void {
    const sheet = this.sheet(id, title);
    const box = parseBox(a1);
    if (!box) throw new Error(`fake: bad A1 ${a1}`);
    rows.forEach((r, i) =>
      r.forEach((v, j) => {
        const cell = v === null ? undefined : typeof v === 'string' && input === 'USER_ENTERED' ? userEntered(v) : v;
        this.put(sheet, box.r0 + i, box.c0 + j, cell);
        sheet.rowCount = Math.max(sheet.rowCount, box.r0 + i + 1);
        sheet.columnCount = Math.max(sheet.columnCount, box.c0 + j + 1);
      }),
    );
  }

  /** Fails the next matching request(s) with `status` (and `Retry-After` when given). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Runs `fn` once, just before the next request of `method` is handled (a human edit mid-sync). */
  beforeNext(
    method: ApiMethod | undefined,
    fn: (ss: FakeSpreadsheet | undefined, server: FakeSheetsServer) => void,
  ): void {
    this.hooks.push({ method, fn });
  }

  /** 403 for every request on this spreadsheet (not shared with the caller). */
  forbid(id: string, forbidden = true): void {
    this.spreadsheet(id).forbidden = forbidden;
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      chunks.push(c as Buffer);
      size += (c as Buffer).length;
    }
    this.stats.calls++;
    this.stats.bytesIn += size;
    const url = new URL(req.url ?? '/', 'http://x');
    let method: ApiMethod | 'unknown' = 'unknown';
    let spreadsheetId: string | undefined;
    let status = 200;
    let body: unknown;
    let fault: (Fault & { times: number }) | undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    try {
      const route = this.route(req.method ?? 'GET', url.pathname);
      method = route.method;
      spreadsheetId = route.spreadsheetId;
      this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
      fault = this.faults.find((f) => f.times > 0 && (!f.method || f.method === method));
      if (fault) {
        fault.times--;
        this.faults = this.faults.filter((f) => f.times > 0);
        if (!fault.afterApply && !fault.dropConnection)
          throw new ApiError(fault.status, fault.message ?? defaultFaultMessage(fault.status), fault.retryAfter);
      }
      if (this.requiredToken && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
        throw new ApiError(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      }
      if (size > PAYLOAD_LIMIT)
        throw new ApiError(400, `Request payload size exceeds the limit: ${PAYLOAD_LIMIT} bytes.`);
      const hookAt = this.hooks.findIndex((h) => !h.method || h.method === method);
      if (hookAt >= 0) {
        const [hook] = this.hooks.splice(hookAt, 1);
        hook.fn(spreadsheetId ? this.spreadsheets.get(spreadsheetId) : undefined, this);
      }
      let json: Record<string, unknown> = {};
      if (size) {
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new ApiError(400, 'Invalid JSON payload received.');
        }
      }
      if (!fault?.dropConnection || fault.afterApply) body = this.dispatch(route, url.searchParams, json);
      if (fault?.afterApply && !fault.dropConnection)
        throw new ApiError(fault.status, fault.message ?? defaultFaultMessage(fault.status), fault.retryAfter);
    } catch (e) {
      const err =
        e instanceof ApiError ? e : new ApiError(500, `Internal error encountered. (${(e as Error).message})`);
      status = err.status;
      if (err.retryAfter !== undefined) headers['retry-after'] = String(err.retryAfter);
      body = { error: { code: err.status, message: err.message, status: STATUS_TEXT[err.status] ?? 'UNKNOWN' } };
      this.stats.errors++;
    }
    if (fault?.dropConnection) {
      this.log.push({ method, spreadsheetId, status: 0 });
      req.socket.destroy();
      return;
    }
    const out = Buffer.from(JSON.stringify(body));
    this.stats.bytesOut += out.length;
    this.log.push({ method, spreadsheetId, status });
    res.writeHead(status, { ...headers, 'content-length': String(out.length) });
    res.end(out);
  }

  private route(verb: string, pathname: string): { method: ApiMethod; spreadsheetId?: string; range?: string } {
    const p = pathname.replace(/\/+/g, '/');
    if (verb === 'POST' && p === '/v4/spreadsheets') return { method: 'spreadsheets.create' };
    const m = /^\/v4\/spreadsheets\/([^/:]+)(.*)$/.exec(p);
    if (!m) throw new ApiError(404, `Not found: ${verb} ${pathname}`);
    const id = decodeURIComponent(m[1]);
    const rest = m[2];
    if (rest === '' && verb === 'GET') return { method: 'spreadsheets.get', spreadsheetId: id };
    if (rest === ':batchUpdate' && verb === 'POST') return { method: 'spreadsheets.batchUpdate', spreadsheetId: id };
    if (rest === '/values:batchGet' && verb === 'GET') return { method: 'values.batchGet', spreadsheetId: id };
    if (rest === '/values:batchUpdate' && verb === 'POST') return { method: 'values.batchUpdate', spreadsheetId: id };
    const v = /^\/values\/([^:]+)$/.exec(rest);
    if (v && verb === 'GET') return { method: 'values.get', spreadsheetId: id, range: decodeURIComponent(v[1]) };
    if (v && verb === 'PUT') return { method: 'values.update', spreadsheetId: id, range: decodeURIComponent(v[1]) };
    throw new ApiError(404, `The fake Sheets server does not implement ${verb} ${pathname}`);
  }

  private dispatch(
    route: { method: ApiMethod; spreadsheetId?: string; range?: string },
    q: URLSearchParams,
    json: Record<string, unknown>,
  ): unknown {
    if (route.method === 'spreadsheets.create') {
      const props = (json.properties ?? {}) as { title?: string };
      const id = this.createSpreadsheet({ title: props.title });
      return this.metadata(this.spreadsheet(id), '');
    }
    const ss = this.spreadsheets.get(route.spreadsheetId!);
    if (!ss) throw new ApiError(404, 'Requested entity was not found.');
    if (ss.forbidden) throw new ApiError(403, 'The caller does not have permission');
    switch (route.method) {
      case 'spreadsheets.get':
        return this.metadata(ss, q.get('fields') ?? '', q.getAll('ranges'), q.get('includeGridData') === 'true');
      case 'values.batchGet':
        return { spreadsheetId: ss.id, valueRanges: q.getAll('ranges').map((r) => this.readRange(ss, r, q)) };
      case 'values.get':
        return this.readRange(ss, route.range!, q);
      case 'values.update':
        return this.atomically(ss, (undo) =>
          this.writeValues(ss, route.range!, json.values as unknown[][], q.get('valueInputOption'), undo),
        );
      case 'values.batchUpdate': {
        const data = (json.data ?? []) as { range: string; values: unknown[][] }[];
        return this.atomically(ss, (undo) => {
          let cells = 0;
          for (const d of data)
            cells += this.writeValues(
              ss,
              d.range,
              d.values,
              (json.valueInputOption as string) ?? null,
              undo,
            ).updatedCells;
          return { spreadsheetId: ss.id, totalUpdatedCells: cells };
        });
      }
      case 'spreadsheets.batchUpdate': {
        const requests = (json.requests ?? []) as Record<string, Record<string, unknown>>[];
        return this.atomically(ss, (undo) => ({
          spreadsheetId: ss.id,
          replies: requests.map((r, i) => this.request(ss, r, i, undo)),
        }));
      }
      default:
        throw new ApiError(404, `not implemented: ${route.method}`);
    }
  }

  /**
   * `spreadsheets.get`. With `ranges`, only the sheets they name, as Google does. Grid data (asked
   * for by `includeGridData=true` or a field mask naming `data`) carries only what the fake keeps
   * per cell beyond values: `dataValidation`, set on a column from row 2 down.
   */
  private metadata(ss: FakeSpreadsheet, fields: string, ranges: string[] = [], includeGridData = false) {
    const withCf = fields === '' || fields.includes('conditionalFormats');
    const withProtections = fields === '' || fields.includes('protectedRanges');
    // A field mask wins over includeGridData; `data(columnMetadata(…))` returns widths without any cells.
    const withGrid = fields ? /\bdata\b/.test(fields) : includeGridData;
    const part = {
      cells: !fields || /\browData\b|\bdata\b(?![.(])/.test(fields),
      columns: /\bcolumnMetadata\b|\bdata\b(?![.(])/.test(fields) || !fields,
    };
    const boxes = new Map<FakeSheet, GridBox[]>();
    for (const r of ranges) {
      const { sheet, box } = this.resolve(ss, r);
      boxes.set(sheet, [...(boxes.get(sheet) ?? []), box]);
    }
    const sheets = ranges.length ? [...boxes.keys()] : ss.sheets;
    return {
      spreadsheetId: ss.id,
      properties: { title: ss.title, locale: 'en_US', timeZone: 'Asia/Almaty' },
      sheets: [...sheets]
        .sort((a, b) => a.index - b.index)
        .map((s) => ({
          properties: {
            sheetId: s.sheetId,
            title: s.title,
            index: s.index,
            sheetType: 'GRID',
            gridProperties: {
              rowCount: s.rowCount,
              columnCount: s.columnCount,
              ...(s.frozenRowCount ? { frozenRowCount: s.frozenRowCount } : {}),
              ...(s.frozenColumnCount ? { frozenColumnCount: s.frozenColumnCount } : {}),
            },
          },
          ...(withCf && s.conditionalFormats.length
            ? { conditionalFormats: structuredClone(s.conditionalFormats) }
            : {}),
          ...(withProtections && s.protectedRanges.length
            ? { protectedRanges: structuredClone(s.protectedRanges) }
            : {}),
          ...(withGrid ? { data: (boxes.get(s) ?? [{ r0: 0, c0: 0 }]).map((box) => this.gridData(s, box, part)) } : {}),
        })),
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${ss.id}/edit`,
    };
  }

  private gridData(sheet: FakeSheet, box: GridBox, part: { cells: boolean; columns: boolean }) {
    const r1 = Math.min(box.r1 ?? sheet.rowCount, sheet.rowCount);
    const c1 = Math.min(box.c1 ?? sheet.columnCount, sheet.columnCount);
    const out: Record<string, unknown> = { startRow: box.r0, startColumn: box.c0 };
    if (part.columns) {
      const columnMetadata = [];
      for (let c = box.c0; c < c1; c++)
        columnMetadata.push({ pixelSize: sheet.columnWidths.get(c) ?? DEFAULT_COLUMN_PIXELS });
      out.columnMetadata = columnMetadata;
    }
    if (!part.cells) return out;
    const rowData = [];
    for (let r = box.r0; r < r1; r++) {
      const values = [];
      for (let c = box.c0; c < c1; c++) {
        const rule = r >= 1 ? sheet.validations.get(c) : undefined;
        const format = cellFormat(sheet.formatLayers, r, c);
        values.push({
          ...(rule ? { dataValidation: structuredClone(rule) } : {}),
          ...(format ? { userEnteredFormat: format } : {}),
        });
      }
      rowData.push({ values });
    }
    out.rowData = rowData;
    return out;
  }

  /** Resolves an A1 range against the sheets; 400 like Google for unparsable ranges and unknown sheets. */
  private resolve(ss: FakeSpreadsheet, text: string): { sheet: FakeSheet; box: GridBox } {
    const parsed = parseRange(text);
    if (!parsed) throw new ApiError(400, `Unable to parse range: ${text}`);
    const byName =
      parsed.sheet !== undefined
        ? ss.sheets.find((s) => s.title.toLowerCase() === parsed.sheet!.toLowerCase())
        : undefined;
    const quoted = text.trim().startsWith("'") || text.includes('!');
    if (byName) return { sheet: byName, box: quoted ? (parsed.box ?? { r0: 0, c0: 0 }) : { r0: 0, c0: 0 } };
    if (!quoted && parsed.box && ss.sheets.length)
      return { sheet: [...ss.sheets].sort((a, b) => a.index - b.index)[0], box: parsed.box };
    throw new ApiError(400, `Unable to parse range: ${text}`);
  }

  private readRange(ss: FakeSpreadsheet, text: string, q: URLSearchParams) {
    const { sheet, box } = this.resolve(ss, text);
    const option = q.get('valueRenderOption') ?? 'FORMATTED_VALUE';
    const r1 = Math.min(box.r1 ?? sheet.rowCount, sheet.rowCount);
    const c1 = Math.min(box.c1 ?? sheet.columnCount, sheet.columnCount);
    const rows: (string | number | boolean)[][] = [];
    for (let r = box.r0; r < r1; r++) {
      const src = sheet.rows[r];
      const row: (string | number | boolean)[] = [];
      if (src) for (let c = box.c0; c < Math.min(c1, src.length); c++) row.push(rendered(src[c], option));
      rows.push(row);
    }
    const values = trimRows(rows);
    const a1 = `${quoteSheet(sheet.title)}!${columnLetter(box.c0)}${box.r0 + 1}:${columnLetter(Math.max(c1 - 1, box.c0))}${Math.max(r1, box.r0 + 1)}`;
    return values.length ? { range: a1, majorDimension: 'ROWS', values } : { range: a1, majorDimension: 'ROWS' };
  }

  private writeValues(ss: FakeSpreadsheet, text: string, values: unknown[][], input: string | null, undo: Undo[]) {
    if (input !== 'RAW' && input !== 'USER_ENTERED')
      throw new ApiError(400, "'valueInputOption' is required but not specified");
    const resolved = this.resolve(ss, text);
    const sheet = resolved.sheet;
    // A single cell is an anchor: the values extend right and down from it (as Google does).
    const single = !text.slice(text.lastIndexOf('!') + 1).includes(':');
    const box = single ? { r0: resolved.box.r0, c0: resolved.box.c0 } : resolved.box;
    let n = 0;
    (values ?? []).forEach((r, i) =>
      r.forEach((v, j) => {
        const row = box.r0 + i;
        const col = box.c0 + j;
        if ((box.r1 !== undefined && row >= box.r1) || (box.c1 !== undefined && col >= box.c1)) {
          throw new ApiError(
            400,
            `Requested writing within range [${text}], but tried writing to row [${row + 1}] column [${col + 1}]`,
          );
        }
        this.grow(sheet, row + 1, col + 1, undo);
        const cell =
          v === null || v === ''
            ? undefined
            : typeof v === 'string'
              ? input === 'RAW'
                ? v
                : userEntered(v)
              : (v as number | boolean);
        this.put(sheet, row, col, cell, undo);
        n++;
      }),
    );
    return { spreadsheetId: ss.id, updatedRange: text, updatedCells: n };
  }

  // ------------------------------------------------------------ batchUpdate requests

  private request(ss: FakeSpreadsheet, r: Record<string, Record<string, unknown>>, i: number, undo: Undo[]): unknown {
    const kinds = Object.keys(r);
    if (kinds.length !== 1) throw new ApiError(400, `Invalid requests[${i}]: exactly one request kind must be set`);
    const kind = kinds[0];
    const body = r[kind];
    const where = `requests[${i}].${kind}`;
    const sheetOf = (sheetId: unknown) => {
      const s = ss.sheets.find((x) => x.sheetId === sheetId);
      if (!s) throw new ApiError(400, `Invalid ${where}: No grid with id: ${String(sheetId)}`);
      return s;
    };
    switch (kind) {
      case 'addSheet': {
        const p = (body.properties ?? {}) as {
          sheetId?: number;
          title?: string;
          index?: number;
          gridProperties?: { rowCount?: number; columnCount?: number; frozenRowCount?: number };
        };
        if (!p.title) throw new ApiError(400, `Invalid ${where}: a sheet title is required`);
        if (ss.sheets.some((s) => s.title.toLowerCase() === p.title!.toLowerCase())) {
          throw new ApiError(
            400,
            `Invalid ${where}: A sheet with the name "${p.title}" already exists. Please enter another name.`,
          );
        }
        if (p.sheetId !== undefined && ss.sheets.some((s) => s.sheetId === p.sheetId))
          throw new ApiError(400, `Invalid ${where}: Sheet with id ${p.sheetId} already exists.`);
        const sheet = this.newSheet(ss, p);
        ss.sheets.push(sheet);
        undo.push(() => (ss.sheets = ss.sheets.filter((s) => s !== sheet)));
        return {
          addSheet: {
            properties: {
              sheetId: sheet.sheetId,
              title: sheet.title,
              index: sheet.index,
              gridProperties: { rowCount: sheet.rowCount, columnCount: sheet.columnCount },
            },
          },
        };
      }
      case 'updateCells': {
        const rows = (body.rows ?? []) as { values?: Record<string, unknown>[] }[];
        const fields = String(body.fields ?? '');
        if (!fields) throw new ApiError(400, `Invalid ${where}: At least one field must be specified in 'fields'`);
        const start = body.start as { sheetId?: number; rowIndex?: number; columnIndex?: number } | undefined;
        const range = body.range as
          | {
              sheetId?: number;
              startRowIndex?: number;
              endRowIndex?: number;
              startColumnIndex?: number;
              endColumnIndex?: number;
            }
          | undefined;
        if (!!start === !!range) throw new ApiError(400, `Invalid ${where}: exactly one of start or range must be set`);
        const sheet = sheetOf((start ?? range)!.sheetId ?? 0);
        const r0 = (start ? start.rowIndex : range!.startRowIndex) ?? 0;
        const c0 = (start ? start.columnIndex : range!.startColumnIndex) ?? 0;
        const width = rows.reduce((m, row) => Math.max(m, row.values?.length ?? 0), 0);
        const r1 = range ? (range.endRowIndex ?? sheet.rowCount) : r0 + rows.length;
        const c1 = range ? (range.endColumnIndex ?? sheet.columnCount) : c0 + width;
        if (r1 > sheet.rowCount || c1 > sheet.columnCount || r0 + rows.length > r1 || c0 + width > c1) {
          throw new ApiError(
            400,
            `Invalid ${where}: Range ('${sheet.title}'!${columnLetter(c0)}${r0 + 1}:${columnLetter(Math.max(c1, c0 + width) - 1)}${Math.max(r1, r0 + rows.length)}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
          );
        }
        const writeValue = fields === '*' || fields.split(',').some((f) => f.trim().startsWith('userEnteredValue'));
        const writeFormat = fields === '*' || fields.split(',').some((f) => f.trim().startsWith('userEnteredFormat'));
        for (let r = r0; r < r1; r++) {
          const src = rows[r - r0]?.values ?? [];
          // With `start`, only the given cells; with `range`, the rest of the range is cleared.
          const cEnd = range ? c1 : c0 + src.length;
          for (let c = c0; c < cEnd; c++) {
            const cd = src[c - c0] as
              { userEnteredValue?: Record<string, unknown>; userEnteredFormat?: unknown } | undefined;
            if (writeValue)
              this.put(
                sheet,
                r,
                c,
                fromExtendedValue(
                  cd?.userEnteredValue,
                  `${where}.rows[${r - r0}].values[${c - c0}].user_entered_value`,
                ),
                undo,
              );
            if (writeFormat)
              this.addFormat(sheet, { r0: r, r1: r + 1, c0: c, c1: c + 1 }, cd?.userEnteredFormat, fields, undo);
          }
          if (!range && r - r0 >= rows.length) break;
        }
        return {};
      }
      case 'appendCells': {
        const sheet = sheetOf(body.sheetId ?? 0);
        const rows = (body.rows ?? []) as { values?: Record<string, unknown>[] }[];
        if (!body.fields) throw new ApiError(400, `Invalid ${where}: At least one field must be specified in 'fields'`);
        let last = sheet.rows.length;
        while (last > 0 && !(sheet.rows[last - 1] ?? []).some((c) => c !== undefined)) last--;
        const width = rows.reduce((m, row) => Math.max(m, row.values?.length ?? 0), 0);
        if (width > sheet.columnCount)
          throw new ApiError(400, `Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.columnCount}`);
        this.grow(sheet, last + rows.length, 0, undo);
        // The rows below `last` hold no values, so undo restores them as a whole (cheap for 100k rows).
        const length = sheet.rows.length;
        const saved = sheet.rows.slice(last, last + rows.length);
        undo.push(() => {
          saved.forEach((r, i) => (sheet.rows[last + i] = r));
          sheet.rows.length = length;
        });
        rows.forEach((row, i) => {
          sheet.rows[last + i] = (row.values ?? []).map((cd, j) =>
            fromExtendedValue(
              (cd as { userEnteredValue?: Record<string, unknown> }).userEnteredValue,
              `${where}.rows[${i}].values[${j}]`,
            ),
          );
        });
        return {};
      }
      case 'appendDimension': {
        const sheet = sheetOf(body.sheetId);
        const length = Number(body.length);
        if (!(length > 0)) throw new ApiError(400, `Invalid ${where}: length must be positive`);
        if (body.dimension === 'ROWS') this.grow(sheet, sheet.rowCount + length, 0, undo);
        else if (body.dimension === 'COLUMNS') this.grow(sheet, 0, sheet.columnCount + length, undo);
        else throw new ApiError(400, `Invalid ${where}: dimension must be ROWS or COLUMNS`);
        return {};
      }
      case 'deleteDimension': {
        const range = body.range as
          { sheetId?: number; dimension?: string; startIndex?: number; endIndex?: number } | undefined;
        const sheet = sheetOf(range?.sheetId ?? 0);
        const start = Number(range?.startIndex ?? 0);
        const end = Number(range?.endIndex);
        if (range?.dimension !== 'ROWS' && range?.dimension !== 'COLUMNS')
          throw new ApiError(400, `Invalid ${where}: dimension must be ROWS or COLUMNS`);
        const limit = range.dimension === 'ROWS' ? sheet.rowCount : sheet.columnCount;
        if (!(start >= 0 && end > start && end <= limit))
          throw new ApiError(
            400,
            `Invalid ${where}: Invalid dimensionRange: startIndex ${start}, endIndex ${end} (max ${limit})`,
          );
        if (range.dimension === 'COLUMNS')
          throw new ApiError(400, `Invalid ${where}: the fake does not delete columns`);
        if (end - start >= sheet.rowCount)
          throw new ApiError(400, `Invalid ${where}: You can't delete all the rows on the sheet.`);
        const removed = sheet.rows.splice(start, end - start);
        const length = sheet.rows.length;
        sheet.rowCount -= end - start;
        undo.push(() => {
          sheet.rows.length = length;
          sheet.rows.splice(start, 0, ...removed);
          sheet.rowCount += end - start;
        });
        return {};
      }
      case 'updateSheetProperties': {
        const p = body.properties as {
          sheetId?: number;
          title?: string;
          gridProperties?: {
            frozenRowCount?: number;
            frozenColumnCount?: number;
            rowCount?: number;
            columnCount?: number;
          };
        };
        const sheet = sheetOf(p?.sheetId ?? 0);
        const before = { ...sheet, rows: sheet.rows };
        undo.push(() =>
          Object.assign(sheet, {
            title: before.title,
            frozenRowCount: before.frozenRowCount,
            frozenColumnCount: before.frozenColumnCount,
            rowCount: before.rowCount,
            columnCount: before.columnCount,
          }),
        );
        for (const f of String(body.fields ?? '')
          .split(',')
          .map((x) => x.trim())) {
          if (f === 'title' && p.title) sheet.title = p.title;
          else if (f === 'gridProperties.frozenRowCount') sheet.frozenRowCount = p.gridProperties?.frozenRowCount ?? 0;
          else if (f === 'gridProperties.frozenColumnCount')
            sheet.frozenColumnCount = p.gridProperties?.frozenColumnCount ?? 0;
          else if (f === 'gridProperties.rowCount') sheet.rowCount = p.gridProperties?.rowCount ?? sheet.rowCount;
          else if (f === 'gridProperties.columnCount')
            sheet.columnCount = p.gridProperties?.columnCount ?? sheet.columnCount;
          else if (f) throw new ApiError(400, `Invalid ${where}: the fake does not support field ${f}`);
        }
        if (sheet.frozenColumnCount >= sheet.columnCount || sheet.frozenRowCount >= sheet.rowCount)
          throw new ApiError(400, `Invalid ${where}: You can't freeze all visible rows or columns on the sheet.`);
        return {};
      }
      case 'updateDimensionProperties': {
        const range = body.range as
          { sheetId?: number; dimension?: string; startIndex?: number; endIndex?: number } | undefined;
        const props = body.properties as { pixelSize?: number } | undefined;
        const sheet = sheetOf(range?.sheetId ?? 0);
        if (!body.fields) throw new ApiError(400, `Invalid ${where}: At least one field must be specified in 'fields'`);
        if (range?.dimension !== 'COLUMNS')
          throw new ApiError(400, `Invalid ${where}: the fake sizes columns only (dimension COLUMNS)`);
        if (String(body.fields) !== 'pixelSize')
          throw new ApiError(400, `Invalid ${where}: the fake does not support field ${String(body.fields)}`);
        const start = range.startIndex ?? 0;
        const end = range.endIndex ?? sheet.columnCount;
        if (!(start >= 0 && end > start && end <= sheet.columnCount))
          throw new ApiError(400, `Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.columnCount}`);
        const px = Number(props?.pixelSize);
        if (!(Number.isInteger(px) && px >= 0)) throw new ApiError(400, `Invalid ${where}: pixelSize must be set`);
        for (let c = start; c < end; c++) {
          const was = sheet.columnWidths.get(c);
          sheet.columnWidths.set(c, px);
          undo.push(() => (was === undefined ? sheet.columnWidths.delete(c) : sheet.columnWidths.set(c, was)));
        }
        return {};
      }
      case 'repeatCell': {
        const range = body.range as {
          sheetId?: number;
          startRowIndex?: number;
          endRowIndex?: number;
          startColumnIndex?: number;
          endColumnIndex?: number;
        };
        const sheet = sheetOf(range?.sheetId ?? 0);
        const cell = body.cell as { userEnteredFormat?: unknown };
        if (!body.fields) throw new ApiError(400, `Invalid ${where}: At least one field must be specified in 'fields'`);
        if ((range.endColumnIndex ?? 0) > sheet.columnCount)
          throw new ApiError(400, `Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.columnCount}`);
        if ((range.endRowIndex ?? 0) > sheet.rowCount)
          throw new ApiError(400, `Invalid ${where}: Range exceeds grid limits. Max rows: ${sheet.rowCount}`);
        const box = {
          r0: range.startRowIndex ?? 0,
          r1: range.endRowIndex,
          c0: range.startColumnIndex ?? 0,
          c1: range.endColumnIndex,
        };
        this.addFormat(sheet, box, cell?.userEnteredFormat, String(body.fields), undo);
        return {};
      }
      case 'setDataValidation': {
        const range = body.range as {
          sheetId?: number;
          startRowIndex?: number;
          startColumnIndex?: number;
          endColumnIndex?: number;
        };
        const sheet = sheetOf(range?.sheetId ?? 0);
        const rule = body.rule as
          { condition?: { type?: string; values?: { userEnteredValue?: string }[] } } | undefined;
        const start = range.startColumnIndex ?? 0;
        const end = range.endColumnIndex ?? sheet.columnCount;
        if (end > sheet.columnCount)
          throw new ApiError(400, `Invalid ${where}: Range exceeds grid limits. Max columns: ${sheet.columnCount}`);
        if (rule) {
          const type = rule.condition?.type;
          const values = rule.condition?.values ?? [];
          if (type === 'ONE_OF_LIST' ? !values.length : type === 'NUMBER_BETWEEN' ? values.length !== 2 : true) {
            throw new ApiError(
              400,
              `Invalid ${where}: Invalid ConditionType ${type} with ${values.length} values for data validation`,
            );
          }
        }
        for (let c = start; c < end; c++) {
          const before = sheet.validations.get(c);
          if (rule) sheet.validations.set(c, structuredClone(rule));
          else sheet.validations.delete(c);
          undo.push(() => (before === undefined ? sheet.validations.delete(c) : sheet.validations.set(c, before)));
        }
        return {};
      }
      case 'addProtectedRange': {
        const p = structuredClone(body.protectedRange ?? {}) as Partial<FakeProtectedRange>;
        if (!p.range) throw new ApiError(400, `Invalid ${where}: protectedRange.range is required`);
        const sheet = sheetOf(p.range.sheetId ?? 0);
        if (p.protectedRangeId !== undefined)
          throw new ApiError(400, `Invalid ${where}: protectedRangeId is assigned by the server`);
        if (p.warningOnly && p.editors)
          throw new ApiError(400, `Invalid ${where}: a warning-only protected range cannot have editors`);
        const stored: FakeProtectedRange = {
          ...p,
          range: { ...p.range, sheetId: sheet.sheetId },
          protectedRangeId: this.nextProtectedRangeId++,
          requestingUserCanEdit: true,
        };
        sheet.protectedRanges.push(stored);
        undo.push(() => (sheet.protectedRanges = sheet.protectedRanges.filter((x) => x !== stored)));
        return { addProtectedRange: { protectedRange: structuredClone(stored) } };
      }
      case 'updateProtectedRange': {
        const p = (body.protectedRange ?? {}) as Partial<FakeProtectedRange>;
        const fields = String(body.fields ?? '');
        if (!fields) throw new ApiError(400, `Invalid ${where}: At least one field must be specified in 'fields'`);
        const sheet = ss.sheets.find((x) => x.protectedRanges.some((r) => r.protectedRangeId === p.protectedRangeId));
        const target = sheet?.protectedRanges.find((r) => r.protectedRangeId === p.protectedRangeId);
        if (!target)
          throw new ApiError(400, `Invalid ${where}: No protected range with id: ${String(p.protectedRangeId)}`);
        const before = structuredClone(target);
        undo.push(() => Object.assign(target, before, before.editors ? {} : { editors: undefined }));
        for (const f of fields.split(',').map((x) => x.trim())) {
          if (f === 'warningOnly') {
            if (!target.warningOnly === !p.warningOnly) continue;
            target.warningOnly = !!p.warningOnly;
            // Google: warning-only drops the editors; back to a real protection without editors given = every editor of the document.
            if (target.warningOnly) delete target.editors;
            else if (!fields.includes('editors')) target.editors = { users: ['owner@fake.example'] };
          } else if (f === 'editors') {
            if (target.warningOnly || p.warningOnly)
              throw new ApiError(400, `Invalid ${where}: a warning-only protected range cannot have editors`);
            target.editors = structuredClone(p.editors ?? {});
          } else if (f === 'description') target.description = p.description;
          else if (f === 'range' && p.range)
            target.range = { ...p.range, sheetId: p.range.sheetId ?? target.range.sheetId };
          else throw new ApiError(400, `Invalid ${where}: the fake does not support field ${f}`);
        }
        return {};
      }
      case 'deleteProtectedRange': {
        const id = body.protectedRangeId;
        const sheet = ss.sheets.find((x) => x.protectedRanges.some((r) => r.protectedRangeId === id));
        if (!sheet) throw new ApiError(400, `Invalid ${where}: No protected range with id: ${String(id)}`);
        const before = sheet.protectedRanges;
        sheet.protectedRanges = before.filter((r) => r.protectedRangeId !== id);
        undo.push(() => (sheet.protectedRanges = before));
        return {};
      }
      case 'addConditionalFormatRule': {
        const rule = body.rule as { ranges?: { sheetId?: number }[] };
        if (!rule?.ranges?.length) throw new ApiError(400, `Invalid ${where}: rule.ranges is required`);
        const sheet = sheetOf(rule.ranges[0].sheetId ?? 0);
        const index = Math.min(Number(body.index ?? 0), sheet.conditionalFormats.length);
        const stored = structuredClone(rule) as { ranges: { endRowIndex?: number; endColumnIndex?: number }[] };
        if (this.boundedConditionalFormatRanges)
          for (const r of stored.ranges) {
            r.endRowIndex ??= sheet.rowCount;
            r.endColumnIndex ??= sheet.columnCount;
          }
        sheet.conditionalFormats.splice(index, 0, stored);
        undo.push(() => sheet.conditionalFormats.splice(index, 1));
        return {};
      }
      case 'deleteConditionalFormatRule': {
        const sheet = sheetOf(body.sheetId);
        const index = Number(body.index);
        if (!(index >= 0 && index < sheet.conditionalFormats.length))
          throw new ApiError(
            400,
            `Invalid ${where}: No conditional format on sheet: ${sheet.sheetId} at index: ${index}`,
          );
        const [removed] = sheet.conditionalFormats.splice(index, 1);
        undo.push(() => sheet.conditionalFormats.splice(index, 0, removed));
        return { deleteConditionalFormatRule: { rule: removed } };
      }
      default:
        throw new ApiError(
          400,
          `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': the fake does not implement it`,
        );
    }
  }

  // ------------------------------------------------------------ grid helpers

  /** Runs `fn`; on any error every change it made is undone (Google's all-or-nothing). */
  private atomically<T>(_ss: FakeSpreadsheet, fn: (undo: Undo[]) => T): T {
    const undo: Undo[] = [];
    try {
      return fn(undo);
    } catch (e) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      throw e;
    }
  }

  private newSheet(
    ss: FakeSpreadsheet,
    p: {
      sheetId?: number;
      title?: string;
      index?: number;
      gridProperties?: { rowCount?: number; columnCount?: number; frozenRowCount?: number; frozenColumnCount?: number };
    },
  ): FakeSheet {
    const sheetId = p.sheetId ?? (ss.sheets.length === 0 ? 0 : this.nextSheetId++);
    return {
      sheetId,
      title: p.title ?? `Sheet${ss.sheets.length + 1}`,
      index: p.index ?? ss.sheets.length,
      rowCount: p.gridProperties?.rowCount ?? 1000,
      columnCount: p.gridProperties?.columnCount ?? 26,
      frozenRowCount: p.gridProperties?.frozenRowCount ?? 0,
      frozenColumnCount: p.gridProperties?.frozenColumnCount ?? 0,
      columnWidths: new Map(),
      rows: [],
      conditionalFormats: [],
      validations: new Map(),
      formatLayers: [],
      protectedRanges: [],
    };
  }

  private grow(sheet: FakeSheet, rows: number, cols: number, undo?: Undo[]): void {
    const before = { rowCount: sheet.rowCount, columnCount: sheet.columnCount };
    if (rows > sheet.rowCount || cols > sheet.columnCount) {
      undo?.push(() => Object.assign(sheet, before));
      sheet.rowCount = Math.max(sheet.rowCount, rows);
      sheet.columnCount = Math.max(sheet.columnCount, cols);
    }
  }

  private put(sheet: FakeSheet, r: number, c: number, cell: FakeCell, undo?: Undo[]): void {
    // API writes carry `undo` (all or nothing): one oversized cell fails the whole request, as in Google.
    const text = typeof cell === 'string' ? cell : typeof cell === 'object' && cell ? cell.formula : '';
    if (undo && text.length > CELL_CHAR_LIMIT) throw new ApiError(400, CELL_LIMIT_MESSAGE);
    const row = sheet.rows[r];
    if (!row && cell === undefined) return;
    const target = row ?? (sheet.rows[r] = []);
    const prev = target[c];
    if (undo) {
      const created = !row;
      undo.push(() => {
        // A row never written is a hole in `rows` (values() and the readers skip holes), so the undo must
        // leave a hole again, not an `undefined` entry or a shifted array.
        // eslint-disable-next-line @typescript-eslint/no-array-delete -- the hole is the intended state
        if (created) delete sheet.rows[r];
        else target[c] = prev;
      });
    }
    target[c] = cell;
  }

  /** A format written over a box, limited to the `fields` mask's userEnteredFormat paths. */
  private addFormat(
    sheet: FakeSheet,
    box: Omit<FormatLayer, 'format' | 'paths'>,
    format: unknown,
    fields: string,
    undo: Undo[],
  ): void {
    const paths = fields
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f === '*' || f === 'userEnteredFormat' || f.startsWith('userEnteredFormat.'))
      .map((f) => (f === '*' || f === 'userEnteredFormat' ? '' : f.slice('userEnteredFormat.'.length)));
    if (!paths.length) return;
    sheet.formatLayers.push({ ...box, format: structuredClone((format ?? {}) as Record<string, unknown>), paths });
    undo.push(() => sheet.formatLayers.pop());
  }
}

/** A cell's userEnteredFormat: the layers over it, in order, each setting (or clearing) its mask's paths. */
function cellFormat(layers: readonly FormatLayer[], r: number, c: number): Record<string, unknown> | undefined {
  let out: Record<string, unknown> = {};
  for (const l of layers) {
    if (r < l.r0 || (l.r1 !== undefined && r >= l.r1) || c < l.c0 || (l.c1 !== undefined && c >= l.c1)) continue;
    for (const path of l.paths) {
      if (path === '') {
        out = structuredClone(l.format);
        continue;
      }
      const keys = path.split('.');
      const value = keys.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], l.format);
      let node = out;
      for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
      if (value === undefined) delete node[keys[keys.length - 1]];
      else node[keys[keys.length - 1]] = structuredClone(value);
    }
  }
  return pruned(out);
}

/** Empty objects left by cleared fields are not returned, as Google omits unset formats. */
function pruned(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    const x = v && typeof v === 'object' && !Array.isArray(v) ? pruned(v as Record<string, unknown>) : v;
    if (x !== undefined) out[k] = x;
  }
  return Object.keys(out).length ? out : undefined;
}

function trimRows<T>(rows: T[][]): T[][] {
  const blank = (v: unknown) => v === '' || v === null || v === undefined;
  const out = rows.map((r) => {
    let n = r.length;
    while (n > 0 && blank(r[n - 1])) n--;
    return r.slice(0, n);
  });
  while (out.length && out[out.length - 1].length === 0) out.pop();
  return out;
}

function defaultFaultMessage(status: number): string {
  if (status === 429) {
    return "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.";
  }
  if (status === 403) return 'The caller does not have permission';
  if (status >= 500) return 'Internal error encountered.';
  return `Injected error ${status}`;
}
