/**
 * Recurring syncs: one BullMQ Job Scheduler per target (cron + time zone). Upserting the same
 * target again replaces its schedule, so running `schedule` twice never doubles the syncs.
 */
import type { QueueConfig } from './config';
import { SyncJobDataSchema, targetKey, type SyncJobData, type SyncTarget } from './job-data';
import { SYNC_JOB, queueKindFor } from './names';
import { jobOptions, type SyncQueues } from './queues';

export interface ScheduleSpec {
  /** Cron pattern (5 fields, or 6 with seconds first). */
  readonly pattern?: string;
  /** Or a fixed interval in ms. */
  readonly every?: number;
  readonly tz?: string;
}

export function schedulerIdFor(target: SyncTarget): string {
  return `sync:${targetKey(target)}`;
}

export async function upsertSyncSchedule(
  queues: SyncQueues,
  config: QueueConfig,
  input: SyncJobData,
  spec: ScheduleSpec,
) {
  const data = SyncJobDataSchema.parse(input);
  if (!spec.pattern === !spec.every) throw new Error('give either a cron pattern or an interval');
  const queue = queues[queueKindFor(data.target)];
  const id = schedulerIdFor(data.target);
  const repeat = spec.pattern ? { pattern: spec.pattern, ...(spec.tz ? { tz: spec.tz } : {}) } : { every: spec.every! };
  await queue.upsertJobScheduler(id, repeat, { name: SYNC_JOB, data, opts: jobOptions(config) });
  const scheduler = await queue.getJobScheduler(id);
  return { queue: queue.name, schedulerId: id, nextRunAt: scheduler?.next };
}

export async function removeSyncSchedule(queues: SyncQueues, target: SyncTarget): Promise<boolean> {
  return queues[queueKindFor(target)].removeJobScheduler(schedulerIdFor(target));
}
