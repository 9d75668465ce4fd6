/**
 * Sync threads: the CPU-heavy body of a job (parse the export, plan, exceljs read/write) runs in a
 * `worker_threads` thread, so the main thread's event loop stays free to renew the BullMQ job lock
 * and the per-target Redis lock — a 200k-row .xlsx sync blocks its thread for minutes.
 *
 * Why a thread of our own rather than a BullMQ sandboxed processor: a sandbox moves the *whole*
 * processor into the child, and the processor's queue-side duties need the main thread — the target
 * lock (its renewal timer would be blocked with the sync), `worker.rateLimit` on a Google 429 (not
 * available to a sandboxed job), and the failure handling that keeps cell values out of Redis. Here
 * the main thread keeps all of those and the thread gets only job data in and counts (or a safe
 * failure) out; no Redis connection, nothing to compile (the thread loads the .ts sources through
 * bin/run-ts.js exactly as the CLI does).
 *
 * Threads are reused (one per concurrently running job, created on first use, ended after a minute
 * idle), so a small job pays no start-up cost after the first. The thread builds its own backends
 * from a serialisable recipe (`Backends.recipe`); backends built around in-process objects (tests
 * wrapping them, injected Google credentials) have no recipe and run inline instead.
 */
import path from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import type { SyncCounts } from '../sync/run-sync';
import type { BackendsRecipe } from './backends';
import type { Failure } from './failures';
import type { JobProgress, SyncJobHooks, SyncRunner } from './sync-job';

export type FromThread =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; counts: SyncCounts }
  | { type: 'failed'; failure: Failure };

/** A failure reported by a sync thread: already classified, its message already safe. */
export class SyncThreadFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

const REPO = path.resolve(__dirname, '../../..');
const ENTRY = path.join(__dirname, `sync-thread${path.extname(__filename)}`);
// Compiled builds load the .js entry directly; from sources, run-ts.js installs the .ts loader first.
const BOOT = `const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require(workerData.runTs);
require(workerData.entry);`;

export class SyncThreads {
  private readonly idle: Thread[] = [];
  private readonly all = new Set<Thread>();
  private readonly idleTimers = new Map<Thread, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly recipe: BackendsRecipe,
    private readonly hooks: SyncJobHooks = {},
    private readonly idleMs = 60_000,
  ) {}

  /** Threads alive now (for tests). */
  get size(): number {
    return this.all.size;
  }

  readonly run: SyncRunner = (data, progress) => {
    if (this.closed)
      return Promise.reject(new SyncThreadFailure({ kind: 'transient', message: 'worker is shutting down' }));
    const thread = this.idle.pop() ?? this.spawn();
    clearTimeout(this.idleTimers.get(thread));
    this.idleTimers.delete(thread);
    thread.ref();
    return new Promise<SyncCounts>((resolve, reject) => {
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('exit', onExit);
        thread.off('error', onError);
      };
      const onMessage = (m: FromThread) => {
        if (m.type === 'progress') return progress(m.progress);
        cleanup();
        this.release(thread);
        if (m.type === 'done') resolve(m.counts);
        else reject(new SyncThreadFailure(m.failure));
      };
      const onExit = (code: number) => {
        cleanup();
        this.all.delete(thread);
        reject(new SyncThreadFailure({ kind: 'transient', message: `the sync thread stopped (exit code ${code})` }));
      };
      // An uncaught error or running out of heap ends the thread, not the worker process. Its message
      // is not passed on (it may quote cells), only its kind.
      const onError = (e: Error) => {
        cleanup();
        this.all.delete(thread);
        void thread.terminate();
        const oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        reject(
          new SyncThreadFailure({
            kind: 'transient',
            message: oom
              ? 'the sync ran out of memory (raise --max-old-space-size)'
              : `the sync thread crashed (${e.name})`,
          }),
        );
      };
      thread.on('message', onMessage);
      thread.once('exit', onExit);
      thread.once('error', onError);
      thread.postMessage({ type: 'run', data, hooks: this.hooks });
    });
  };

  /** Ends every thread; a sync still running is abandoned (its job's lock then lapses and it runs again). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    this.idle.length = 0;
    await Promise.all([...this.all].map((t) => t.terminate()));
    this.all.clear();
  }

  private spawn(): Thread {
    const thread = new Thread(BOOT, {
      eval: true,
      workerData: { entry: ENTRY, runTs: path.join(REPO, 'bin/run-ts.js'), recipe: this.recipe },
    });
    this.all.add(thread);
    // Between jobs nothing should listen for a thread that exits on its own.
    thread.on('exit', () => {
      this.all.delete(thread);
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
    });
    return thread;
  }

  private release(thread: Thread): void {
    if (this.closed) {
      void thread.terminate();
      return;
    }
    // An idle thread does not keep the process alive, and ends after idleMs.
    thread.unref();
    this.idle.push(thread);
    const timer = setTimeout(() => {
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
      this.idleTimers.delete(thread);
      void thread.terminate();
    }, this.idleMs);
    timer.unref();
    this.idleTimers.set(thread, timer);
  }
}
