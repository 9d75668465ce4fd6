/**
 * The job processor: validate job data → take the target lock → read the source → the same
 * runSync the CLI uses → report counts. Failures are sorted into retry / never-retry / pause.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Workbook } from '../../../shared/src/workbook';
import { runSync, syncCounts } from '../sync/run-sync';
import type { Backends } from './backends';
import { classifyFailure } from './failures';
import { describeSource, parseJobData, targetKey, type SyncJobResult } from './job-data';
import type { TargetLocks } from './target-lock';

export interface JobProgress {
  readonly phase: 'reading' | 'writing' | 'done';
  readonly percent: number;
  readonly rows?: number;
}

export interface ProcessorDeps {
  readonly backends: Backends;
  readonly locks: TargetLocks;
  readonly log: Logger;
  /** Shown in results and logs: host:pid plus the worker's id. */
  readonly workerName: string;
  /** How long a job that finds its target busy waits before it is tried again. */
  readonly busyDelayMs: number;
  /** Pauses this queue for every worker (BullMQ rate limit); wired to `worker.rateLimit` by the factory. */
  readonly rateLimit: (ms: number) => Promise<void>;
  /** Test hook: a pause between planning and writing (see MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS). */
  readonly delayBeforeApplyMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createProcessor(deps: ProcessorDeps) {
  return async function processSyncJob(job: Job, token?: string): Promise<SyncJobResult> {
    const log = deps.log.child({ jobId: job.id, attempt: job.attemptsMade + 1 });
    let data;
    try {
      data = parseJobData(job.data);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'refusing job');
      throw new UnrecoverableError((e as Error).message);
    }
    const target = targetKey(data.target);
    const lock = await deps.locks.acquire(target);
    if (!lock) {
      // Another sync is writing this workbook: come back later without using up an attempt.
      log.info({ target, retryInMs: deps.busyDelayMs }, 'target busy; job delayed');
      await job.moveToDelayed(Date.now() + deps.busyDelayMs, token);
      throw new DelayedError();
    }
    const startedAt = Date.now();
    log.info({ target, source: describeSource(data.source) }, 'sync started');
    try {
      const progress = (p: JobProgress) => job.updateProgress(p).catch((e) => log.warn({ err: (e as Error).message }, 'progress not saved'));
      await progress({ phase: 'reading', percent: 0, rows: 0 });
      const batch = await deps.backends.readSource(data.source, (p) => {
        void progress({ phase: 'reading', percent: p.totalBytes ? Math.min(60, Math.round((60 * p.bytes) / p.totalBytes)) : 30, rows: p.rows });
      });
      const rows = batch.records.length + batch.rejected.length;
      const result = await deps.backends.runTarget(data.target, async (workbook) => {
        const writing: Workbook = {
          read: (tabs) => workbook.read(tabs),
          apply: async (plan) => {
            await progress({ phase: 'writing', percent: 70, rows });
            if (deps.delayBeforeApplyMs) await sleep(deps.delayBeforeApplyMs);
            await workbook.apply(plan);
          },
        };
        return runSync(writing, batch, { asOf: data.asOf });
      });
      const finishedAt = Date.now();
      await progress({ phase: 'done', percent: 100, rows });
      const s = result.stats;
      const summary: SyncJobResult = { target, ...syncCounts(result), startedAt, finishedAt, worker: deps.workerName };
      log.info({ target, rowsRead: s.rowsRead, rejected: s.rejected, inserted: s.inserted, updated: s.updated, durationMs: result.durationMs }, 'sync done');
      if (!lock.held) log.error({ target }, 'target lock was lost during this sync');
      return summary;
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'permanent') {
        log.error({ target, err: failure.message }, 'sync failed permanently (not retried)');
        throw new UnrecoverableError(failure.message);
      }
      if (failure.kind === 'rate-limited') {
        // Pause the queue for every worker, and put this job back without using up an attempt.
        log.warn({ target, pauseMs: failure.retryAfterMs }, 'Sheets rate limit: queue paused');
        await deps.rateLimit(failure.retryAfterMs);
        throw Worker.RateLimitError();
      }
      log.warn({ target, err: failure.message, attemptsLeft: (job.opts.attempts ?? 1) - job.attemptsMade - 1 }, 'sync failed; will retry');
      throw error;
    } finally {
      await lock.release();
    }
  };
}
