/**
 * Producing jobs: the queues, the job options every sync job gets (retries, bounded history), and
 * `enqueueSync`, which keeps one pending sync per target (BullMQ deduplication keyed by target).
 */
import crypto from 'node:crypto';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { QueueConfig } from './config';
import { closeIfClient, queueConnection } from './connection';
import { SyncJobDataSchema, targetKey, type SyncJobData } from './job-data';
import { QUEUE_KINDS, QUEUE_NAMES, SYNC_JOB, queueKindFor, type QueueKind } from './names';

export type SyncQueues = Record<QueueKind, Queue>;

/** Cluster clients we created for a set of queues (BullMQ does not close a client it was given). */
const ownClients = new WeakMap<SyncQueues, ConnectionOptions>();

export function openQueues(config: QueueConfig, connection?: ConnectionOptions): SyncQueues {
  const queues = {} as SyncQueues;
  if (!connection) {
    connection = queueConnection(config, 'command');
    ownClients.set(queues, connection);
  }
  for (const kind of QUEUE_KINDS) {
    queues[kind] = new Queue(QUEUE_NAMES[kind], {
      connection,
      prefix: config.MOOC_DESK_QUEUE_PREFIX,
      defaultJobOptions: jobOptions(config),
    });
    // Connection trouble also rejects the command that met it; that is where it is reported.
    queues[kind].on('error', () => undefined);
  }
  return queues;
}

export async function closeQueues(queues: SyncQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
  const own = ownClients.get(queues);
  if (own) await closeIfClient(own);
}

/** Retries with exponential backoff; finished jobs kept for a bounded time and number. */
export function jobOptions(config: QueueConfig): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: config.KEEP_COMPLETED_DAYS * 86_400, count: config.KEEP_COMPLETED_JOBS },
    removeOnFail: { age: config.KEEP_FAILED_DAYS * 86_400, count: config.KEEP_FAILED_JOBS },
  };
}

export interface EnqueueResult {
  readonly queue: string;
  readonly jobId: string;
  readonly targetKey: string;
  /**
   * added: a new job; updated: a sync of this target was already waiting and now reads this source;
   * after-active: a sync of this target is running, this one runs right after it.
   */
  readonly outcome: 'added' | 'updated' | 'after-active';
}

/**
 * Adds a sync job unless one for the same target is pending. A newer export supersedes an older
 * one (the table is a snapshot), so a waiting job is pointed at the new source instead of dropping
 * it, and a running one gets a follow-up (`keepLastIfActive`). Nothing the user asked for is lost.
 */
export async function enqueueSync(queues: SyncQueues, config: QueueConfig, input: SyncJobData): Promise<EnqueueResult> {
  const data = SyncJobDataSchema.parse(input);
  const kind = queueKindFor(data.target);
  const queue = queues[kind];
  const key = targetKey(data.target);
  const jobId = crypto.randomUUID();
  const job = await queue.add(SYNC_JOB, data, {
    ...jobOptions(config),
    jobId,
    deduplication: { id: key, keepLastIfActive: true },
  });
  const base = { queue: queue.name, targetKey: key };
  if (job.id === jobId) return { ...base, jobId, outcome: 'added' };
  // Deduplicated into job.id: find out what it is doing.
  const existing = await queue.getJob(job.id!);
  const state = existing ? await existing.getState() : 'unknown';
  if (existing && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
    await existing.updateData(data);
    // If it started between getState and updateData it may have read the old data: ask again,
    // which now lands as the follow-up of the running job (at worst one redundant, idempotent sync).
    if ((await existing.getState()) !== 'active') return { ...base, jobId: existing.id!, outcome: 'updated' };
    await queue.add(SYNC_JOB, data, {
      ...jobOptions(config),
      jobId: crypto.randomUUID(),
      deduplication: { id: key, keepLastIfActive: true },
    });
  }
  return { ...base, jobId: job.id!, outcome: 'after-active' };
}
