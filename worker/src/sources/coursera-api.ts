/**
 * The Coursera enterprise API as a source: client-credentials token, then `enrollmentReports` page
 * by page. Each element is laid out under the same column names a CSV export has and validated by
 * the same `parseExportRow`, so the rules cannot tell an API sync from a file sync.
 *
 * Mapping (the fields of Coursera's documented `enrollmentReports` element; see the README):
 * - Course slug `contentSlug`, course name `contentName`, Course ID `contentId`, University
 *   `partnerNames`, so API rows meet the Courses tab and rows from CSV exports. COURSERA_CONTENT_MAP
 *   (a JSON file `contentId → slug`) overrides both; an element without `contentSlug` falls back to
 *   its `contentId`, so it still upserts stably.
 * - E-mail: `email` when the element has it, else `externalId` when it is an e-mail (Coursera returns
 *   the e-mail as externalId when none was set), else the first part of `id` (`email~program~content`).
 * - Certificate URL `contentCertificateUrl` (the batch "has the column" when any element carries it).
 * - Removed: `deletedAt` set, or a `membershipState` other than MEMBER.
 * - `overallProgress` is 0–100; null or missing means nothing done yet (0 %, so the learner stays,
 *   Not started). `grade` is 0–1, as a number or a numeric string → percent (2 decimals, like exports).
 * - Last activity `lastActivityAt`; without it, `updatedAt` when the element shows learning (progress
 *   or completion), so an untouched enrollment is not made to look active.
 * - Epoch-ms times pass as numbers (0 means "never" → blank).
 * - Elements that are not courses (contentType Specialization…) are rejected with that reason.
 * - With a program id, elements of other programs are filtered out client-side (counted in `api`).
 */
import { InputError } from '../../../shared/src/errors';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import {
  mapExportHeader,
  parseExportRow,
  type ExportRecord,
  type RawValue,
  type RejectedRow,
} from '../../../shared/src/export-record';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import {
  isTransientNetworkError,
  isTransientStatus,
  parseRetryAfter,
  withBackoff,
  type BackoffOptions,
  type RetryVerdict,
} from '../http/backoff';
import { REJECTED_ROWS_PER_SYNC } from '../../../shared/src/rejected-log';

const ContentEntry = z.union([z.string().min(1), z.object({ slug: z.string().min(1), name: z.string().optional() })]);
export const ContentMapSchema = z.record(z.string(), ContentEntry);
export type ContentMap = z.infer<typeof ContentMapSchema>;

export const CourseraEnvSchema = z.object({
  COURSERA_CLIENT_ID: z.string({ error: 'COURSERA_CLIENT_ID is not set' }).trim().min(1, 'COURSERA_CLIENT_ID is empty'),
  COURSERA_CLIENT_SECRET: z
    .string({ error: 'COURSERA_CLIENT_SECRET is not set' })
    .trim()
    .min(1, 'COURSERA_CLIENT_SECRET is empty'),
  COURSERA_ORG_ID: z.string({ error: 'COURSERA_ORG_ID is not set' }).trim().min(1, 'COURSERA_ORG_ID is empty'),
  COURSERA_API_BASE: z
    .url({ error: 'COURSERA_API_BASE must be a URL such as https://api.coursera.com' })
    .default('https://api.coursera.com'),
  COURSERA_PROGRAM_ID: z.string().trim().min(1).optional(),
  /** A JSON file `{ "<contentId>": "<course-slug>" | { "slug": "...", "name": "..." } }`. */
  COURSERA_CONTENT_MAP: z.string().trim().min(1).optional(),
});

export interface CourseraApiConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly orgId: string;
  /** Default https://api.coursera.com */
  readonly apiBase?: string;
  readonly programId?: string;
  readonly contentMap?: ContentMap;
  /** Page size (`limit`), default 100. */
  readonly pageSize?: number;
  readonly backoff?: BackoffOptions;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Missing or malformed API settings: no retry helps until an admin fixes the environment. */
export class CourseraConfigError extends InputError {}

/** Config from env (zod-validated); `overrides` win (e.g. a job's program id). */
export function courseraConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<CourseraApiConfig> = {},
): CourseraApiConfig {
  const parsed = CourseraEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new CourseraConfigError(`Coursera API settings: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  let contentMap: ContentMap | undefined;
  if (e.COURSERA_CONTENT_MAP) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(e.COURSERA_CONTENT_MAP, 'utf8'));
    } catch (err) {
      throw new CourseraConfigError(`COURSERA_CONTENT_MAP=${e.COURSERA_CONTENT_MAP}: ${(err as Error).message}`);
    }
    const m = ContentMapSchema.safeParse(json);
    if (!m.success)
      throw new CourseraConfigError(
        `COURSERA_CONTENT_MAP=${e.COURSERA_CONTENT_MAP}: ${m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    contentMap = m.data;
  }
  return {
    clientId: e.COURSERA_CLIENT_ID,
    clientSecret: e.COURSERA_CLIENT_SECRET,
    orgId: e.COURSERA_ORG_ID,
    apiBase: e.COURSERA_API_BASE,
    programId: e.COURSERA_PROGRAM_ID,
    contentMap,
    ...overrides,
  };
}

/** A failure with a message for the admin; `permanent` ones must not be retried by a queue. */
export class CourseraApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'CourseraApiError';
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

const TokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().optional(),
  token_type: z.string().optional(),
});

const PageSchema = z.object({
  elements: z.array(z.unknown(), { error: 'the response has no "elements" array' }),
  paging: z
    .object({
      next: z.union([z.string(), z.number()]).nullish(),
      total: z.number().nullish(),
    })
    .nullish(),
});

/** The export column each API field is laid out under (names as in a CSV export). */
const HEADER = [
  'Name',
  'Email',
  'External Id',
  'Course',
  'Course ID',
  'Course Slug',
  'Enrollment Time',
  'Last Course Activity Time',
  'Overall Progress',
  'Estimated Learning Hours',
  'Learning Hours',
  'Completed',
  'Removed From Program',
  'Program Slug',
  'Completion Time',
  'Course Grade',
  'Course Certificate URL',
  'University',
] as const;
const HEADER_MAP = mapExportHeader(HEADER);

export interface CourseraBatch extends ExportBatch {
  readonly api: { pages: number; elements: number; otherPrograms: number; total: number | null };
}

const EMAIL = /^[^\s@~]+@[^\s@~]+\.[^\s@~]+$/;
/** The one membershipState the documented example shows for a learner in the program. */
const MEMBER_STATE = 'MEMBER';
/** The documented field that carries the certificate link. */
const CERTIFICATE_FIELD = 'contentCertificateUrl';

/** JSON with sorted keys: the same elements always hash the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const epoch = (v: unknown): RawValue => (v === 0 || isBlank(v) ? null : (v as RawValue));

/** Slug and name: the content map (an admin's override) first, then the element's own fields. */
function courseOf(el: Record<string, unknown>, contentMap: ContentMap): { slug: string | null; name: string | null } {
  const contentId = str(el.contentId);
  const mapped = contentId ? contentMap[contentId] : undefined;
  const name = (typeof mapped === 'object' ? mapped.name : undefined) ?? str(el.contentName);
  const slug = typeof mapped === 'string' ? mapped : (mapped?.slug ?? str(el.contentSlug) ?? contentId);
  return { slug, name };
}

function emailOf(el: Record<string, unknown>): string | null {
  const externalId = str(el.externalId);
  const idHead = str(el.id)?.split('~')[0] ?? null;
  return (
    str(el.email) ??
    (externalId && EMAIL.test(externalId) ? externalId : null) ??
    (idHead && EMAIL.test(idHead) ? idHead : null) ??
    externalId
  );
}

/** 0–1 → percent with 2 decimals; a numeric string is the same number. Anything else goes to validation as is. */
function gradeOf(v: unknown): RawValue {
  const n = typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(v) ? Number(v) : v;
  if (typeof n === 'number') return Math.round(n * 10000) / 100;
  return isBlank(n) ? null : (n as RawValue);
}

function removedOf(el: Record<string, unknown>): boolean {
  const state = str(el.membershipState)?.toUpperCase();
  return epoch(el.deletedAt) !== null || (state !== undefined && state !== MEMBER_STATE);
}

/** `updatedAt` stands in only when there was learning to date; an untouched enrollment stays "no activity". */
function lastActivityOf(el: Record<string, unknown>): RawValue {
  const last = epoch(el.lastActivityAt);
  if (last !== null) return last;
  const learned = (typeof el.overallProgress === 'number' && el.overallProgress > 0) || el.isCompleted === true;
  return learned ? epoch(el.updatedAt) : null;
}

/** One API element → raw values under HEADER (what a CSV row would hold). */
export function elementToRow(el: Record<string, unknown>, contentMap: ContentMap = {}): RawValue[] {
  const course = courseOf(el, contentMap);
  const partners = Array.isArray(el.partnerNames) ? el.partnerNames.map(str).filter(Boolean).join(', ') : null;
  return [
    str(el.fullName) ?? str(el.name),
    emailOf(el),
    str(el.externalId),
    course.name,
    str(el.contentId),
    course.slug,
    epoch(el.enrolledAt),
    lastActivityOf(el),
    isBlank(el.overallProgress) ? 0 : (el.overallProgress as RawValue),
    el.approxTotalCourseHrs as RawValue,
    (el.learningHours ?? null) as RawValue,
    el.isCompleted as RawValue,
    removedOf(el),
    str(el.programSlug) ?? str(el.programId),
    epoch(el.completedAt),
    gradeOf(el.grade),
    (el[CERTIFICATE_FIELD] ?? null) as RawValue,
    partners || null,
  ];
}

/** Reads every page and returns a batch the sync takes like any export file. */
export async function readCourseraApi(config: CourseraApiConfig): Promise<CourseraBatch> {
  const client = new CourseraClient(config);
  const records: { line: number; record: ExportRecord }[] = [];
  const rejected: RejectedRow[] = [];
  let rejectedNotKept = 0;
  // Bounded memory: the first rejected elements are kept (the Rejected rows tab lists no more), the rest counted.
  const reject = (row: RejectedRow) =>
    void (rejected.length < REJECTED_ROWS_PER_SYNC ? rejected.push(row) : rejectedNotKept++);
  const hash = crypto.createHash('sha256');
  let line = 0;
  let otherPrograms = 0;
  let hasCertificate = false;
  let pages = 0;
  let total: number | null = null;
  for await (const page of client.enrollmentReports()) {
    pages++;
    total = page.total ?? total;
    for (const el of page.elements) {
      line++;
      const raw = canonicalJson(el);
      hash.update(raw).update('\n');
      if (!el || typeof el !== 'object' || Array.isArray(el)) {
        reject({ line, reason: `element ${line}: not an object`, raw });
        continue;
      }
      const e = el as Record<string, unknown>;
      if (config.programId && e.programId !== undefined && e.programId !== config.programId) {
        otherPrograms++;
        continue;
      }
      if (typeof e.contentType === 'string' && e.contentType.toLowerCase() !== 'course') {
        reject({
          line,
          reason: `element ${line}: contentType is ${e.contentType}, not Course (progress is tracked per course)`,
          raw,
        });
        continue;
      }
      if (CERTIFICATE_FIELD in e) hasCertificate = true;
      const parsed = parseExportRow(HEADER_MAP, elementToRow(e, config.contentMap), line);
      if (parsed.ok) records.push({ line, record: parsed.record });
      else
        reject({
          line,
          reason: `element ${line} (${str(e.id) ?? str(e.externalId) ?? 'no id'}): ${parsed.rejected.reason.replace(/column [A-Z]+ "/g, 'field "')}`,
          raw,
        });
    }
  }
  return {
    source: `coursera-api:${config.orgId}/${config.programId ?? 'all'}`,
    sha256: hash.digest('hex'),
    records,
    rejected,
    rejectedNotKept,
    hasCertificateColumn: hasCertificate,
    api: { pages, elements: line, otherPrograms, total },
  };
}

/** Token + paging, with backoff on 429/5xx and one token refresh on a 401 mid-run. */
export class CourseraClient {
  private token?: string;
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly config: CourseraApiConfig) {
    this.base = (config.apiBase ?? 'https://api.coursera.com').replace(/\/+$/, '');
    this.doFetch = config.fetch ?? fetch;
  }

  async *enrollmentReports(): AsyncGenerator<{ elements: unknown[]; total: number | null }> {
    const limit = this.config.pageSize ?? 100;
    let start = 0;
    for (;;) {
      const url = `${this.base}/ent/api/businesses.v1/${encodeURIComponent(this.config.orgId)}/enrollmentReports?start=${start}&limit=${limit}`;
      const json = await this.getJson(url, `enrollmentReports page start=${start}`);
      const page = PageSchema.safeParse(json);
      if (!page.success)
        throw new CourseraApiError(
          `Coursera enrollmentReports (start=${start}): unexpected response: ${page.error.issues.map((i) => i.message).join('; ')}`,
          200,
          true,
        );
      yield { elements: page.data.elements, total: page.data.paging?.total ?? null };
      const next = page.data.paging?.next;
      if (next === undefined || next === null || String(next).trim() === '' || page.data.elements.length === 0) return;
      const n = Number(next);
      if (!Number.isInteger(n) || n <= start) {
        throw new CourseraApiError(
          `Coursera enrollmentReports: paging.next "${String(next)}" after start=${start} does not move forward; stopping instead of looping`,
          200,
          true,
        );
      }
      start = n;
    }
  }

  private async getJson(url: string, what: string): Promise<unknown> {
    let refreshed = false;
    for (;;) {
      const token = this.token ?? (await this.fetchToken());
      try {
        return await this.request(
          url,
          { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } },
          what,
        );
      } catch (e) {
        // A token that expired during a long run: get a new one once, then give up.
        if (e instanceof CourseraApiError && e.status === 401 && !refreshed) {
          refreshed = true;
          this.token = undefined;
          continue;
        }
        throw e;
      }
    }
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64');
    const json = await this.request(
      `${this.base}/oauth2/client_credentials/token`,
      {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
      },
      'the access token',
      true,
    );
    const t = TokenSchema.safeParse(json);
    if (!t.success) throw new CourseraApiError('Coursera token endpoint answered without an access_token', 200, true);
    this.token = t.data.access_token;
    return this.token;
  }

  private async request(url: string, init: RequestInit, what: string, isToken = false): Promise<unknown> {
    const classify = (e: unknown): RetryVerdict =>
      e instanceof HttpError
        ? isTransientStatus(e.status)
          ? { retry: true, retryAfterMs: e.retryAfterMs }
          : { retry: false }
        : isTransientNetworkError(e) || (e as Error)?.name === 'TimeoutError'
          ? { retry: true }
          : { retry: false };
    try {
      return await withBackoff(
        async () => {
          const res = await this.doFetch(url, {
            ...init,
            signal: AbortSignal.timeout(this.config.timeoutMs ?? 60_000),
          });
          const text = await res.text();
          if (!res.ok) throw new HttpError(res.status, text, parseRetryAfter(res.headers.get('retry-after')));
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new CourseraApiError(
              `Coursera ${what}: the response is not JSON: ${text.slice(0, 200)}`,
              res.status,
              true,
            );
          }
        },
        classify,
        this.config.backoff,
        (e, attempts, retryAfterMs) => this.describe(e, what, isToken, attempts, retryAfterMs),
      );
    } catch (e) {
      if (e instanceof CourseraApiError) throw e;
      throw this.describe(e, what, isToken);
    }
  }

  private describe(
    e: unknown,
    what: string,
    isToken: boolean,
    attempts?: number,
    retryAfterMs?: number,
  ): CourseraApiError {
    const tail = attempts && attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
    if (!(e instanceof HttpError))
      return new CourseraApiError(
        `Could not reach the Coursera API (${this.base}) for ${what}${tail}: ${(e as Error)?.message ?? e}`,
        undefined,
        false,
      );
    const s = e.status;
    const detail = e.body.slice(0, 300);
    if (isToken && (s === 400 || s === 401 || s === 403)) {
      return new CourseraApiError(
        `Coursera refused the client credentials (HTTP ${s}): check COURSERA_CLIENT_ID and COURSERA_CLIENT_SECRET (the API app in Coursera's org console). ${detail}`,
        s,
        true,
      );
    }
    if (s === 401)
      return new CourseraApiError(
        `Coursera rejected the access token for ${what} (HTTP 401), also after getting a new one: check the API app's access to org ${this.config.orgId}. ${detail}`,
        s,
        true,
      );
    if (s === 403)
      return new CourseraApiError(
        `Coursera denied access to org ${this.config.orgId} (HTTP 403): the API app needs the access_business_api scope for this organisation; ask the Coursera admin. ${detail}`,
        s,
        true,
      );
    if (s === 404)
      return new CourseraApiError(
        `Coursera has no organisation ${this.config.orgId} at ${this.base} (HTTP 404): check COURSERA_ORG_ID. ${detail}`,
        s,
        true,
      );
    if (s === 429)
      return new CourseraApiError(
        `Coursera API rate limit (429) for ${what}${tail}; try again later. ${detail}`,
        s,
        false,
        retryAfterMs,
      );
    if (s >= 500)
      return new CourseraApiError(
        `Coursera API kept failing with HTTP ${s} for ${what}${tail}; try again later. ${detail}`,
        s,
        false,
      );
    return new CourseraApiError(`Coursera API: HTTP ${s} for ${what}: ${detail}`, s, true);
  }
}
