/**
 * The worker factory: one BullMQ Worker per queue (Sheets: rate limited to the write quota; .xlsx:
 * not), sharing one target-lock connection, plus graceful shutdown. Start as many processes as
 * you like on one Redis: the limiter, the stalled-job checker and the target locks all live in
 * Redis, so they hold across processes and machines.
 */
import os from 'node:os';
import { Worker, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Backends } from './backends';
import { sheetsJobsPerMinute, type QueueConfig } from './config';
import { closeConnection, closeIfClient, describeRedis, queueConnection, redisClient } from './connection';
import { QUEUE_KINDS, QUEUE_NAMES, type QueueKind } from './names';
import { createProcessor } from './processor';
import { jobOptions } from './queues';
import { inlineRunner, type SyncJobHooks } from './sync-job';
import { SyncThreads } from './sync-threads';
import { TargetLocks } from './target-lock';

export interface SyncWorkersOptions {
  readonly config: QueueConfig;
  readonly log: Logger;
  readonly backends: Backends;
  readonly concurrency?: number;
  /** Queues to serve (default: all). */
  readonly kinds?: readonly QueueKind[];
  /** Extra BullMQ worker options (tests: a tighter limiter, shorter drain delay). */
  readonly workerOptions?: Partial<WorkerOptions>;
  readonly name?: string;
  /**
   * Run each sync in a sync thread (default, when the backends have a recipe) or inline on the
   * main thread (what backends wrapping in-process objects get; a long inline sync stalls its job).
   */
  readonly syncIn?: 'thread' | 'inline';
}

export interface SyncWorkers {
  readonly workers: Record<QueueKind, Worker | undefined>;
  readonly name: string;
  /** The sync threads, when syncs run in threads. */
  readonly threads?: SyncThreads;
  /** Stops fetching jobs, lets the active ones finish (or, with force, leaves them to be recovered). */
  close(force?: boolean): Promise<void>;
}

export function startSyncWorkers(options: SyncWorkersOptions): SyncWorkers {
  const { config, log, backends } = options;
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const lockRedis = redisClient(config);
  // On a cluster each Worker gets our Cluster client (BullMQ duplicates it for its blocking reads); we close it.
  const clients: ReturnType<typeof queueConnection>[] = [];
  lockRedis.on('error', (e: Error) => log.warn({ err: e.message }, 'redis (target locks): connection problem'));
  const locks = new TargetLocks(lockRedis, config.MOOC_DESK_QUEUE_PREFIX, config.TARGET_LOCK_TTL_MS, log);
  const keep = jobOptions(config);
  const hooks: SyncJobHooks = {
    delayBeforeApplyMs: config.MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS,
    blockBeforeApplyMs: config.MOOC_DESK_TEST_BLOCK_BEFORE_APPLY_MS,
  };
  // Why threads: see ./sync-threads.ts — a long sync must not block the lock renewals.
  const threads = options.syncIn !== 'inline' && backends.recipe ? new SyncThreads(backends.recipe, hooks) : undefined;
  const run = threads ? threads.run : inlineRunner(backends, hooks);
  const workers = {} as Record<QueueKind, Worker | undefined>;
  for (const kind of options.kinds ?? QUEUE_KINDS) {
    // eslint-disable-next-line prefer-const -- assigned below, after the processor whose rateLimit refers to it
    let worker: Worker | undefined;
    const processor = createProcessor({
      run,
      locks,
      log: log.child({ queue: QUEUE_NAMES[kind] }),
      workerName: name,
      busyDelayMs: config.TARGET_BUSY_DELAY_MS,
      rateLimit: (ms) => worker!.rateLimit(ms),
    });
    const connection = queueConnection(config, 'worker');
    clients.push(connection);
    worker = new Worker(QUEUE_NAMES[kind], processor, {
      connection,
      prefix: config.MOOC_DESK_QUEUE_PREFIX,
      name,
      concurrency: options.concurrency ?? config.WORKER_CONCURRENCY,
      lockDuration: config.WORKER_LOCK_DURATION_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
      // A job whose worker died twice is more likely poison than bad luck.
      maxStalledCount: 2,
      removeOnComplete: keep.removeOnComplete as WorkerOptions['removeOnComplete'],
      removeOnFail: keep.removeOnFail as WorkerOptions['removeOnFail'],
      ...(kind === 'sheets' ? { limiter: { max: sheetsJobsPerMinute(config), duration: 60_000 } } : {}),
      ...options.workerOptions,
    });
    const wlog = log.child({ queue: QUEUE_NAMES[kind] });
    // Without an 'error' listener a Redis hiccup would crash the process; BullMQ reconnects by itself.
    worker.on('error', (e) => wlog.warn({ err: e.message }, 'worker error (will keep retrying)'));
    worker.on('failed', (job, e) =>
      wlog.error({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: e.message }, 'job failed'),
    );
    worker.on('stalled', (jobId) =>
      wlog.warn({ jobId }, 'job stalled (its worker stopped renewing the lock); it will run again'),
    );
    workers[kind] = worker;
  }
  log.info(
    {
      redis: describeRedis(config),
      queues: Object.keys(workers),
      worker: name,
      concurrency: options.concurrency ?? config.WORKER_CONCURRENCY,
      syncIn: threads ? 'thread' : 'inline',
    },
    'worker started',
  );
  let closing: Promise<void> | undefined;
  return {
    workers,
    name,
    threads,
    close(force = false) {
      if (force) {
        return Promise.all([...Object.values(workers).map((w) => w?.close(true)), threads?.close()])
          .then(() => Promise.all(clients.map(closeIfClient)))
          .then(() => closeConnection(lockRedis));
      }
      closing ??= (async () => {
        await Promise.all(Object.values(workers).map((w) => w?.close()));
        await threads?.close();
        await Promise.all(clients.map(closeIfClient));
        await closeConnection(lockRedis);
        log.info({ worker: name }, 'worker stopped');
      })();
      return closing;
    },
  };
}

/**
 * SIGTERM/SIGINT: stop taking jobs and let the active ones finish (`worker.close()`); nothing is
 * lost. A second signal forces the exit; the interrupted job's lock then expires and another
 * worker runs it again (a sync is idempotent).
 */
export function closeOnSignals(
  workers: SyncWorkers,
  log: Logger,
  signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let count = 0;
    const handler = (signal: NodeJS.Signals) => {
      count++;
      if (count === 1) {
        log.info({ signal }, 'shutting down: finishing active jobs (send again to force)');
        void workers.close().then(() => {
          for (const s of signals) process.off(s, handler);
          resolve(signal);
        });
      } else {
        log.warn({ signal }, 'forced shutdown: active jobs will be recovered by another worker');
        void workers.close(true).then(() => {
          for (const s of signals) process.off(s, handler);
          resolve(signal);
        });
      }
    };
    for (const s of signals) process.on(s, handler);
  });
}
