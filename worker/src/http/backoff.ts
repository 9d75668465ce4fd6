/**
 * Truncated exponential backoff with jitter, honouring `Retry-After`. Shared by the Google Sheets
 * backend and the Coursera API source. Sleep and randomness are injectable so tests do not wait.
 */

export interface BackoffOptions {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  readonly retries?: number;
  /** Delay before the first retry, before jitter. */
  readonly baseDelayMs?: number;
  /** Cap of the exponential delay (Google recommends 32–64 s). */
  readonly maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: we give up and let the caller reschedule. */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random?: () => number;
  /** Called before each wait (logs, metrics). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** What the caller's classifier says about a failure. */
export type RetryVerdict = { retry: false } | { retry: true; retryAfterMs?: number };

export const DEFAULT_BACKOFF = { retries: 5, baseDelayMs: 1000, maxDelayMs: 32_000, maxRetryAfterMs: 120_000 } as const;

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Delay before retry number `attempt` (0-based): `min(max, base·2^attempt)`, jittered into its upper
 * half ("equal jitter") so that workers hit by the same 429 do not come back in lockstep, yet a retry
 * never fires almost at once. A server's `Retry-After` is a floor.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, retryAfterMs?: number): number {
  const base = options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const random = options.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** attempt);
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Thrown when retries are used up; keeps the last error and the server's last `Retry-After`. */
export class RetriesExhaustedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastError: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(message, { cause: lastError });
  }
}

/**
 * Runs `fn` until it succeeds, the classifier calls a failure permanent (rethrown as is), or the
 * retries are used up (the last error is rethrown through `exhausted`, or as RetriesExhaustedError).
 */
export async function withBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  classify: (error: unknown) => RetryVerdict,
  options: BackoffOptions = {},
  exhausted?: (error: unknown, attempts: number, retryAfterMs?: number) => Error,
): Promise<T> {
  const retries = options.retries ?? DEFAULT_BACKOFF.retries;
  const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_BACKOFF.maxRetryAfterMs;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw error;
      const retryAfter = verdict.retryAfterMs;
      if (attempt >= retries || (retryAfter !== undefined && retryAfter > maxRetryAfter)) {
        const attempts = attempt + 1;
        throw exhausted
          ? exhausted(error, attempts, retryAfter)
          : new RetriesExhaustedError(
              `gave up after ${attempts} attempts: ${(error as Error)?.message ?? String(error)}`,
              attempts,
              error,
              retryAfter,
            );
      }
      const delayMs = backoffDelay(attempt, options, retryAfter);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** Statuses worth retrying: rate limits and server-side trouble. */
export function isTransientStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/** Network failures (no HTTP response) worth retrying. */
export function isTransientNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  return (
    typeof code === 'string' &&
    [
      'ECONNRESET',
      'ETIMEDOUT',
      'ECONNREFUSED',
      'EPIPE',
      'EAI_AGAIN',
      'UND_ERR_SOCKET',
      'ENOTFOUND',
      'ECONNABORTED',
    ].includes(code)
  );
}
