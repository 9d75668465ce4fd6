/**
 * Turning Sheets API failures into decisions (retry or not) and into messages an admin can act on.
 */
import { isTransientNetworkError, isTransientStatus, parseRetryAfter, type RetryVerdict } from '../../http/backoff';
import { WRITE_OUTCOME_UNKNOWN, type WriteOutcomeUnknown } from '../../../../shared/src/write-outcome';

/** A Sheets failure with a message for the admin. `permanent` ones must not be retried by a queue either. */
export class SheetsApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly permanent: boolean,
    /** The server's last `Retry-After` (429), so a queue can pause that long. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SheetsApiError';
  }
}

/** A write that was sent once and got no clear answer: it may have been applied. Not sent again. */
export class SheetsWriteOutcomeUnknownError extends SheetsApiError implements WriteOutcomeUnknown {
  readonly code = WRITE_OUTCOME_UNKNOWN;

  constructor(error: unknown, ctx: ErrorContext) {
    const status = statusOf(error);
    super(
      `Google Sheets did not confirm the write while ${ctx.action} in spreadsheet ${ctx.spreadsheetId} (${status ? `HTTP ${status}: ` : ''}${googleMessage(error)}): it may or may not have been applied, so it was not sent again; the sync reads the spreadsheet again and writes only what is missing.`,
      status,
      false,
      undefined,
      { cause: error },
    );
    this.name = 'SheetsWriteOutcomeUnknownError';
  }
}

interface HttpishError {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

export function statusOf(error: unknown): number | undefined {
  const e = error as HttpishError;
  const s = e?.response?.status ?? e?.status;
  return typeof s === 'number' ? s : undefined;
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  return v === undefined || v === null ? null : String(v);
}

export function retryAfterOf(error: unknown): number | undefined {
  return parseRetryAfter(header((error as HttpishError)?.response?.headers, 'retry-after'));
}

/** Google's own message (`error.message` in the JSON body) when there is one. */
export function googleMessage(error: unknown): string {
  const data = (error as HttpishError)?.response?.data as { error?: { message?: string } } | string | undefined;
  if (data && typeof data === 'object' && data.error?.message) return data.error.message;
  return (error as HttpishError)?.message ?? String(error);
}

export function classifySheetsError(error: unknown): RetryVerdict {
  const status = statusOf(error);
  if (status !== undefined)
    return isTransientStatus(status) ? { retry: true, retryAfterMs: retryAfterOf(error) } : { retry: false };
  return isTransientNetworkError(error) ? { retry: true } : { retry: false };
}

export interface ErrorContext {
  readonly spreadsheetId: string;
  readonly serviceAccountEmail?: string;
  /** What we were doing, e.g. "reading tabs Progress, Roster". */
  readonly action: string;
}

/** The admin-facing message for a failure that will not be retried (any more). */
export function describeSheetsError(error: unknown, ctx: ErrorContext, attempts?: number): SheetsApiError {
  const status = statusOf(error);
  const detail = googleMessage(error);
  const who = ctx.serviceAccountEmail ?? "the service account's e-mail (client_email in the key file)";
  const id = ctx.spreadsheetId;
  const tail = attempts && attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
  let message: string;
  let permanent = true;
  switch (true) {
    case status === 400:
      message = `Google Sheets refused the request while ${ctx.action} in spreadsheet ${id}: ${detail}. Check that the tab names and the layout of the spreadsheet are as expected.`;
      break;
    case status === 401:
      message = `Google rejected the credentials while ${ctx.action}: ${detail}. Check that GOOGLE_APPLICATION_CREDENTIALS points to a valid service-account key JSON.`;
      break;
    case status === 403 && /has not been used|is disabled|SERVICE_DISABLED|accessNotConfigured/i.test(detail):
      message = `The Google Sheets API is not enabled for the service account's Google Cloud project: enable "Google Sheets API" in the Cloud console (APIs & Services → Library), then retry. (${detail})`;
      break;
    case status === 403:
      message = `No access to spreadsheet ${id} while ${ctx.action}: share the spreadsheet with ${who} as Editor (Share → add that e-mail → Editor), then retry. (${detail})`;
      break;
    case status === 404:
      message = `No spreadsheet with id ${id}: check the id (the part of the sheet's URL between /d/ and /edit) and that it was not deleted. (${detail})`;
      break;
    case status === 429:
      permanent = false;
      message = `Google Sheets rate limit (429) while ${ctx.action} in spreadsheet ${id}${tail}: the quota is 60 write requests per minute per service account; the sync will be retried later. (${detail})`;
      break;
    case status !== undefined && status >= 500:
      permanent = false;
      message = `Google Sheets kept failing with HTTP ${status} while ${ctx.action} in spreadsheet ${id}${tail}; nothing was written by the failed request. Try again later. (${detail})`;
      break;
    case status === undefined && isTransientSafe(error):
      permanent = false;
      message = `Could not reach Google Sheets while ${ctx.action}${tail}: ${detail}. Check the network connection.`;
      break;
    default:
      message = `Google Sheets failed while ${ctx.action} in spreadsheet ${id}${status ? ` (HTTP ${status})` : ''}: ${detail}`;
  }
  return new SheetsApiError(message, status, permanent, status === 429 ? retryAfterOf(error) : undefined, {
    cause: error,
  });
}

function isTransientSafe(error: unknown): boolean {
  return classifySheetsError(error).retry;
}
