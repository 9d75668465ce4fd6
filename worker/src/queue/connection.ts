/**
 * Redis connection options from REDIS_URL. Workers retry forever (`maxRetriesPerRequest: null`,
 * which BullMQ requires for its blocking calls) so a Redis restart or failover only pauses them;
 * one-shot commands (enqueue, schedule) fail fast with a clear message instead of hanging.
 * BullMQ gets options (not client instances) so it owns, and closes, its own connections.
 */
import type { RedisOptions } from 'bullmq';
import IORedis, { type Redis, type RedisOptions as IORedisOptions } from 'ioredis';

export function redisOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.replace(/^\//, '');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

export function workerRedisOptions(url: string): RedisOptions {
  return {
    ...redisOptions(url),
    maxRetriesPerRequest: null,
    // Back off up to 2 s between reconnects, forever.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
}

export function commandRedisOptions(url: string): RedisOptions {
  return {
    ...redisOptions(url),
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (times: number) => (times > 3 ? null : 200),
  };
}

export function workerConnection(url: string): Redis {
  return new IORedis(workerRedisOptions(url) as IORedisOptions);
}

/** Closes a connection we own; QUIT when it is up, disconnect otherwise (never hangs on a dead Redis). */
export async function closeConnection(conn: Redis): Promise<void> {
  if (conn.status === 'end') return;
  if (conn.status === 'ready') {
    await Promise.race([conn.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
  }
  conn.disconnect();
}

/** Redis URL without a password, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
