/**
 * The README's scaling claim, tested: a real 3-node Redis Cluster (no replicas), the documented
 * `{mooc-desk}` prefix, two `mooc-desk worker` processes. Jobs complete, deduplication and the
 * per-target lock hold (its key is in the queues' slot), and a restart of the node serving that
 * slot is survived. Skipped, loudly, without redis-cli — except under CI=true, where it fails.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { queueConfig, type QueueConfig } from '../../src/queue/config';
import { queueConnection, closeIfClient } from '../../src/queue/connection';
import type { SyncJobResult } from '../../src/queue/job-data';
import { SYNC_JOB } from '../../src/queue/names';
import { closeQueues, enqueueSync, jobOptions, openQueues } from '../../src/queue/queues';
import { haveRedisCli, startRedisCluster, type TestCluster } from '../support/redis-cluster';
import { redisCommand } from '../support/redis-server';
import { readTab, sampleExport, spawnXlsxWorker, tmpDir, waitForState, xlsxJob } from './helpers';

const ci = !!process.env.CI && process.env.CI !== 'false';
const available = haveRedisCli();
if (!available && !ci) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! Redis Cluster tests SKIPPED: redis-cli not found. Install it: apt-get install -y redis-tools\n!! (under CI=true this is a failure, not a skip)\n${'!'.repeat(78)}\n`,
  );
}
const suite = available || ci ? describe : describe.skip;

suite('Redis Cluster (3 masters, {mooc-desk} prefix, two worker processes)', () => {
  let cluster: TestCluster;
  let dir: string;
  let exportFile: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!available)
      throw new Error(
        'CI=true but redis-cli is missing: add "apt-get install -y redis-tools" (or redis-server) to .ci/run',
      );
    cluster = await startRedisCluster(3);
    dir = tmpDir('mooc-cluster-');
    exportFile = sampleExport(dir, 60);
  }, 40_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await cluster?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  function spawnWorker(env: Record<string, string>): Promise<{ proc: ChildProcess; out: () => string }> {
    const proc = spawnXlsxWorker(2, env);
    children.push(proc);
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    return new Promise((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('"worker started"')) {
          clearInterval(t);
          resolve({ proc, out: () => out });
        }
      }, 20);
      proc.once('exit', (code) => (clearInterval(t), reject(new Error(`worker exited (${code}): ${out}`))));
    });
  }

  const job = (workbook: string) => xlsxJob(workbook, exportFile);

  test('jobs complete on two workers; dedup and target locks hold; a node restart is survived', async () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379', // host unused on a cluster; user/password/TLS would come from here
      REDIS_CLUSTER_NODES: cluster.nodes,
      TARGET_BUSY_DELAY_MS: '100',
      JOB_BACKOFF_MS: '200',
      MOOC_DESK_TEST_DELAY_BEFORE_APPLY_MS: '150',
      LOG_FORMAT: 'json',
    };
    const config: QueueConfig = queueConfig(env);
    expect(config.MOOC_DESK_QUEUE_PREFIX).toBe('{mooc-desk}'); // the documented default on a cluster
    expect(() => queueConfig({ ...env, MOOC_DESK_QUEUE_PREFIX: 'mooc-desk' })).toThrow(/hash tag/);

    // Every key — the queues' and the target locks' — hashes to one slot.
    const contended = path.join(dir, 'contended.xlsx');
    const slotOf = async (key: string) => redisCommand(cluster.ports[0], ['CLUSTER', 'KEYSLOT', key]);
    const querySlot = await slotOf(`{mooc-desk}:sync-xlsx:meta`);
    expect(await slotOf(`{mooc-desk}:target-lock:xlsx:${contended}`)).toBe(querySlot);
    const home = await cluster.nodeFor('{mooc-desk}');

    // Deduplication, before any worker runs: the second export for a waiting target updates the job.
    let queues = openQueues(config);
    const a = await enqueueSync(queues, config, job(path.join(dir, 'dedup.xlsx')));
    const b = await enqueueSync(queues, config, job(path.join(dir, 'dedup.xlsx')));
    expect(a.outcome).toBe('added');
    expect(b).toMatchObject({ outcome: 'updated', jobId: a.jobId });
    expect(await queues.xlsx.getWaitingCount()).toBe(1);

    const workers = await Promise.all([spawnWorker(env), spawnWorker(env)]);

    // Four jobs for one target bypassing deduplication (as scheduler runs, retries and recovered
    // jobs can), and four for their own targets.
    const connection = queueConnection(config, 'command');
    const raw = new Queue(queues.xlsx.name, { connection, prefix: config.MOOC_DESK_QUEUE_PREFIX });
    const same = await raw.addBulk(
      Array.from({ length: 4 }, () => ({ name: SYNC_JOB, data: job(contended), opts: jobOptions(config) })),
    );
    await raw.close();
    await closeIfClient(connection);
    const own = await Promise.all(
      Array.from({ length: 4 }, (_, i) => enqueueSync(queues, config, job(path.join(dir, `own-${i}.xlsx`)))),
    );
    const ids = [a.jobId, ...same.map((j) => j.id!), ...own.map((r) => r.jobId)];
    const done = await Promise.all(ids.map((id) => waitForState(queues.xlsx, id, ['completed', 'failed'], 30_000)));
    for (const j of done) expect(j.failedReason).toBeUndefined();
    const results = done.map((j) => j.returnvalue as SyncJobResult);
    const windows = results.filter((r) => r.target === `xlsx:${contended}`).sort((x, y) => x.startedAt - y.startedAt);
    expect(windows).toHaveLength(4);
    for (let i = 1; i < windows.length; i++)
      expect(windows[i].startedAt).toBeGreaterThanOrEqual(windows[i - 1].finishedAt);
    expect(new Set(results.map((r) => r.worker)).size).toBe(2); // both processes took jobs
    expect((await readTab(contended, 'Sync log')).rows).toHaveLength(4);
    await closeQueues(queues);

    // The node serving {mooc-desk} crashes and comes back (same port, same config file); while it
    // is down the slot — and, with cluster-require-full-coverage, the cluster — is unavailable.
    await cluster.restartNode(home, 1500);
    queues = openQueues(config);
    try {
      const after = await Promise.all(
        Array.from({ length: 3 }, (_, i) => enqueueSync(queues, config, job(path.join(dir, `after-${i}.xlsx`)))),
      );
      const finished = await Promise.all(
        after.map((r) => waitForState(queues.xlsx, r.jobId, ['completed', 'failed'], 30_000)),
      );
      for (const j of finished) expect(await j.getState()).toBe('completed');
      // Completed by the same two worker processes, which rode out the outage.
      for (const w of workers) expect(w.proc.exitCode).toBeNull();
      expect(new Set(finished.map((j) => (j.returnvalue as SyncJobResult).worker)).size).toBeGreaterThanOrEqual(1);
    } finally {
      await closeQueues(queues);
    }
    await Promise.all(workers.map((w) => new Promise((r) => (w.proc.once('exit', r), w.proc.kill('SIGTERM')))));
    for (const w of workers) expect(w.proc.exitCode).toBe(0);
  }, 60_000);
});
