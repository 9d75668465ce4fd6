/**
 * The body of a sync job — read the source, open the target, the same runSync the CLI uses — with
 * no Redis in it: it runs in a sync thread (./sync-threads.ts) in production, or inline (tests that
 * wrap the backends). The processor around it keeps every queue-side duty (job data, target lock,
 * failure handling) on the main thread.
 */
import type { Workbook } from '../../../shared/src/workbook';
import { runSync, syncCounts, type SyncCounts } from '../sync/run-sync';
import type { Backends } from './backends';
import type { SyncJobData } from './job-data';

export interface JobProgress {
  readonly phase: 'reading' | 'writing' | 'done';
  readonly percent: number;
  readonly rows?: number;
}

/** Test hooks (refused in production by the config): make a sync slow at the write step. */
export interface SyncJobHooks {
  /** Waits this long before writing (the event loop stays free). */
  readonly delayBeforeApplyMs?: number;
  /** Blocks the thread this long before writing, as a CPU-bound 200k-row plan does. */
  readonly blockBeforeApplyMs?: number;
}

/** Runs one sync job's body: `(data, progress) → counts`. */
export type SyncRunner = (data: SyncJobData, progress: (p: JobProgress) => void) => Promise<SyncCounts>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function blockThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export async function runSyncJob(
  backends: Backends,
  data: SyncJobData,
  progress: (p: JobProgress) => void,
  hooks: SyncJobHooks = {},
): Promise<SyncCounts> {
  const startedAt = Date.now();
  progress({ phase: 'reading', percent: 0, rows: 0 });
  const batch = await backends.readSource(data.source, (p) => {
    progress({
      phase: 'reading',
      percent: p.totalBytes ? Math.min(60, Math.round((60 * p.bytes) / p.totalBytes)) : 30,
      rows: p.rows,
    });
  });
  const rows = batch.records.length + batch.rejected.length;
  const result = await backends.runTarget(data.target, async (workbook) => {
    const writing: Workbook = {
      read: (tabs) => workbook.read(tabs),
      apply: async (plan) => {
        progress({ phase: 'writing', percent: 70, rows });
        if (hooks.delayBeforeApplyMs) await sleep(hooks.delayBeforeApplyMs);
        if (hooks.blockBeforeApplyMs) blockThread(hooks.blockBeforeApplyMs);
        await workbook.apply(plan);
      },
    };
    return runSync(writing, batch, { asOf: data.asOf, startedAt });
  });
  return syncCounts(result);
}

/** The inline runner: the job body on the calling (main) thread. */
export function inlineRunner(backends: Backends, hooks: SyncJobHooks = {}): SyncRunner {
  return (data, progress) => runSyncJob(backends, data, progress, hooks);
}
