/**
 * Whether a `spreadsheets.batchUpdate` may be sent again after a failure, and what a failure of one
 * that may not means. Google documents the batch as atomic, but a request that got no answer (the
 * connection dropped, a timeout) or a 5xx may still have been applied; sending `appendCells` (or
 * an add/delete by index) again would then apply it twice. Such a write is sent once; an
 * ambiguous failure becomes SheetsWriteOutcomeUnknownError and the sync re-reads and re-plans.
 */
import type { sheets_v4 } from 'googleapis';
import type { RetryVerdict } from '../../http/backoff';
import { retryAfterOf, statusOf } from './errors';

/**
 * Request kinds that set given values at given places (cells by index, properties, validation):
 * applying one twice leaves the sheet as applying it once. Anything else — appendCells,
 * appendDimension, addSheet, add/delete of rules, rows or protections — is not; so is any kind not
 * listed here (a new kind is treated as unsafe until someone checks it).
 */
const REPLAY_SAFE = new Set([
  'updateCells',
  'repeatCell',
  'setDataValidation',
  'updateSheetProperties',
  'updateDimensionProperties',
  'updateProtectedRange',
]);

export function isReplaySafe(requests: readonly sheets_v4.Schema$Request[]): boolean {
  return requests.every((r) => Object.keys(r).every((kind) => REPLAY_SAFE.has(kind)));
}

/** Network failures where the request cannot have reached Google (no connection was made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Error codes along the cause chain (gaxios → fetch's TypeError → undici's SocketError…). */
function networkCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; depth++) {
    if (typeof e.code === 'string') codes.push(e.code);
    e = e.cause as typeof e;
  }
  return codes;
}

const neverSent = (error: unknown) => networkCodes(error).some((c) => NOT_SENT.has(c));

/**
 * Retry verdict for a write that is not replay-safe: only failures that prove it was not applied
 * are retried — 429 (Google refuses over-quota requests before running them) and a connection
 * that was never made. Everything else is decided by the caller (see `outcomeUnknown`).
 */
export function classifyUnsafeWrite(error: unknown): RetryVerdict {
  const status = statusOf(error);
  if (status === 429) return { retry: true, retryAfterMs: retryAfterOf(error) };
  return status === undefined && neverSent(error) ? { retry: true } : { retry: false };
}

/**
 * A failure after which the write may or may not have been applied: a 5xx or 408, or no HTTP
 * answer at all (reset, socket closed, timeout) once a connection may have carried the request.
 */
export function outcomeUnknown(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status === 408 || status >= 500;
  return !neverSent(error);
}
