/**
 * Entry of a sync thread (see ./sync-threads.ts): builds the backends from the recipe once, then
 * runs one job at a time as the main thread asks. Errors go back as a safe failure (kind + a
 * message without cell values): the raw error, which may quote cells, never leaves this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { backendsFromRecipe, type BackendsRecipe } from './backends';
import { safeFailure } from './safe-failure';
import { runSyncJob, type SyncJobHooks } from './sync-job';
import type { SyncJobData } from './job-data';
import type { FromThread } from './sync-threads';

const port = parentPort!;
const backends = backendsFromRecipe((workerData as { recipe: BackendsRecipe }).recipe);
const post = (m: FromThread) => port.postMessage(m);

port.on('message', (m: { type: 'run'; data: SyncJobData; hooks: SyncJobHooks }) => {
  runSyncJob(backends, m.data, (progress) => post({ type: 'progress', progress }), m.hooks).then(
    (counts) => post({ type: 'done', counts }),
    (e) => post({ type: 'failed', failure: safeFailure(e) }),
  );
});
