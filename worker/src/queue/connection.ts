/**
 * Redis connection options from REDIS_URL. Workers retry forever (`maxRetriesPerRequest: null`,
 * which BullMQ requires for its blocking calls) so a Redis restart or failover only pauses them;
 * one-shot commands (enqueue, schedule) fail fast with a clear message instead of hanging.
 * BullMQ gets options (not client instances) so it owns, and closes, its own connections.
 */
import type { ConnectionOptions, RedisOptions } from 'bullmq';
import IORedis, { Cluster, type ClusterNode, type Redis, type RedisOptions as IORedisOptions } from 'ioredis';

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
  return new IORedis(workerRedisOptions(url));
}

/**
 * Redis Cluster (REDIS_CLUSTER_NODES=host:port,host:port,…): seed nodes; the client learns the rest
 * and follows slot moves and failovers. User, password and TLS still come from REDIS_URL (its host
 * is then unused). Every key we write carries the `{…}` hash tag of MOOC_DESK_QUEUE_PREFIX, so a
 * queue, its Lua scripts and the target locks all live in one slot, as BullMQ requires.
 */
export function parseClusterNodes(spec: string): ClusterNode[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hp) => {
      const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(hp);
      if (!m) throw new Error(`"${hp}" is not host:port`);
      return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
    });
}

export type ConnectionMode = 'worker' | 'command';

function clusterConnection(nodes: string, url: string, mode: ConnectionMode): Cluster {
  const base = redisOptions(url);
  delete base.host;
  delete base.port;
  delete base.db; // a cluster has one database
  const worker = mode === 'worker';
  return new Cluster(parseClusterNodes(nodes), {
    redisOptions: {
      ...(base as IORedisOptions),
      maxRetriesPerRequest: worker ? null : 1,
      connectTimeout: worker ? 10_000 : 5000,
    },
    // Workers retry forever (a node restart only pauses them); one-shot commands give up quickly.
    clusterRetryStrategy: (times: number) => (worker ? Math.min(times * 100, 2000) : times > 3 ? null : 200),
    enableOfflineQueue: true,
    ...(worker ? {} : { maxRedirections: 16 }),
  });
}

/** What BullMQ's `connection` gets: options for one Redis (BullMQ owns the client), or our Cluster client. */
export function queueConnection(
  config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string },
  mode: ConnectionMode,
): ConnectionOptions {
  if (config.REDIS_CLUSTER_NODES) return clusterConnection(config.REDIS_CLUSTER_NODES, config.REDIS_URL, mode);
  return mode === 'worker' ? workerRedisOptions(config.REDIS_URL) : commandRedisOptions(config.REDIS_URL);
}

/** A client of our own (target locks): one Redis, or the cluster. */
export function redisClient(config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string }): Redis | Cluster {
  return config.REDIS_CLUSTER_NODES
    ? clusterConnection(config.REDIS_CLUSTER_NODES, config.REDIS_URL, 'worker')
    : workerConnection(config.REDIS_URL);
}

/** Closes a client that was handed to BullMQ as an instance (BullMQ leaves shared clients open). */
export async function closeIfClient(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof IORedis || connection instanceof Cluster) await closeConnection(connection);
}

/** Where we connect, for logs (no password). */
export function describeRedis(config: { REDIS_URL: string; REDIS_CLUSTER_NODES?: string }): string {
  return config.REDIS_CLUSTER_NODES ? `cluster ${config.REDIS_CLUSTER_NODES}` : redactUrl(config.REDIS_URL);
}

/** Closes a connection we own; QUIT when it is up, disconnect otherwise (never hangs on a dead Redis). */
export async function closeConnection(conn: Redis | Cluster): Promise<void> {
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
