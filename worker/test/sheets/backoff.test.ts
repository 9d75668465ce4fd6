import { backoffDelay, parseRetryAfter, RetriesExhaustedError, withBackoff } from '../../src/http/backoff';

class Status extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}
const classify = (e: unknown) =>
  e instanceof Status && (e.status === 429 || e.status >= 500)
    ? { retry: true as const, retryAfterMs: e.retryAfterMs }
    : { retry: false as const };

test('delays double up to the cap and are jittered into the upper half', () => {
  const at = (attempt: number, random: number) =>
    backoffDelay(attempt, { baseDelayMs: 1000, maxDelayMs: 8000, random: () => random });
  expect([0, 1, 2, 3, 4, 5].map((a) => at(a, 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  expect([0, 1, 2, 3, 4, 5].map((a) => at(a, 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  // Retry-After is a floor, not a suggestion.
  expect(backoffDelay(0, { baseDelayMs: 1000, random: () => 0 }, 30_000)).toBe(30_000);
});

test('Retry-After: seconds or an HTTP date', () => {
  expect(parseRetryAfter('7')).toBe(7000);
  expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
  expect(parseRetryAfter(null)).toBeUndefined();
  expect(parseRetryAfter('soon')).toBeUndefined();
});

test('retries transient failures, stops at once on permanent ones', async () => {
  const sleeps: number[] = [];
  const opts = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0, baseDelayMs: 10 };
  let n = 0;
  await expect(
    withBackoff(async () => (++n < 3 ? Promise.reject(new Status(503)) : 'ok'), classify, opts),
  ).resolves.toBe('ok');
  expect(n).toBe(3);
  expect(sleeps).toEqual([5, 10]);
  n = 0;
  await expect(withBackoff(async () => (++n, Promise.reject(new Status(404))), classify, opts)).rejects.toThrow(
    'HTTP 404',
  );
  expect(n).toBe(1);
});

test('gives up after the retries, keeping the last error and Retry-After; a too-long Retry-After is not waited for', async () => {
  const sleeps: number[] = [];
  const opts = {
    retries: 2,
    sleep: async (ms: number) => void sleeps.push(ms),
    random: () => 0,
    baseDelayMs: 10,
    maxRetryAfterMs: 60_000,
  };
  const err = await withBackoff(async () => Promise.reject(new Status(429, 2000)), classify, opts).catch((e) => e);
  expect(err).toBeInstanceOf(RetriesExhaustedError);
  expect(err.attempts).toBe(3);
  expect(err.retryAfterMs).toBe(2000);
  expect(sleeps).toEqual([2000, 2000]);
  sleeps.length = 0;
  const long = await withBackoff(async () => Promise.reject(new Status(429, 3_600_000)), classify, opts).catch(
    (e) => e,
  );
  expect(long.attempts).toBe(1);
  expect(sleeps).toEqual([]);
});
