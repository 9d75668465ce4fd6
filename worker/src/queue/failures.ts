/**
 * What a failed sync means for the queue: retry later (transient), never retry (permanent — the
 * admin has to fix something), or pause the whole queue (Google said 429).
 */
import { InputError } from '../../../shared/src/errors';

export type Failure =
  | { readonly kind: 'permanent'; readonly message: string }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly message: string }
  | { readonly kind: 'transient'; readonly message: string };

/** Pause on a 429 without Retry-After: the Sheets quota window is a minute. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 60_000;

interface ApiishError {
  status?: number;
  permanent?: boolean;
  retryAfterMs?: number;
}

export function classifyFailure(error: unknown): Failure {
  const message = (error as Error)?.message ?? String(error);
  // Bad job data, export, Settings, catalog, as-of date…: the same job fails the same way until someone fixes it.
  if (error instanceof InputError) return { kind: 'permanent', message };
  const e = (error ?? {}) as ApiishError;
  // The Sheets backend and the Coursera API source mark their errors (400/401/403/404: permanent).
  if (e.status === 429)
    return { kind: 'rate-limited', retryAfterMs: e.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS, message };
  if (e.permanent === true) return { kind: 'permanent', message };
  if (typeof e.status === 'number' && [400, 401, 403, 404].includes(e.status) && e.permanent !== false)
    return { kind: 'permanent', message };
  return { kind: 'transient', message };
}
