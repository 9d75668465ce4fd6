/**
 * Two queues: Google Sheets targets share one write quota per service account, so only their
 * queue is rate limited; local .xlsx targets are not held back by it.
 */
import type { SyncTarget } from './job-data';

export const QUEUE_NAMES = { sheets: 'sync-sheets', xlsx: 'sync-xlsx' } as const;
export type QueueKind = keyof typeof QUEUE_NAMES;
export const QUEUE_KINDS = Object.keys(QUEUE_NAMES) as QueueKind[];

/** The job name (shown on the dashboard). */
export const SYNC_JOB = 'sync';

export function queueKindFor(target: SyncTarget): QueueKind {
  return target.kind;
}
