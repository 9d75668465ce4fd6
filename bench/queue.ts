/**
 * Throughput of the BullMQ worker: N sync jobs (each a real export into its own .xlsx workbook)
 * through a real redis-server and real `mooc-desk worker` processes — first one process, then two,
 * as you would scale on one machine — and then two processes on a 3-master Redis Cluster
 * (REDIS_CLUSTER_NODES, `{mooc-desk}` prefix) beside them. BENCH_QUEUE_JOBS / BENCH_QUEUE_ROWS
 * change the load. The cluster round is skipped when redis-cli is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queueConfig } from '../worker/src/queue/config';
import { closeQueues, enqueueSync, openQueues } from '../worker/src/queue/queues';
import { haveRedisCli, startRedisCluster } from '../worker/test/support/redis-cluster';
import { startRedis } from '../worker/test/support/redis-server';

const ROOT = path.resolve(__dirname, '..');
const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 40);
const ROWS = Number(process.env.BENCH_QUEUE_ROWS ?? 500);

function cutExport(dir: string, rows: number): string {
  const lines = fs.readFileSync(path.join(ROOT, 'demo/usage-report_2020_19col_fpt.csv'), 'utf8').split(/\r?\n/);
  const file = path.join(dir, `export-${rows}.csv`);
  fs.writeFileSync(file, `${lines.slice(0, Math.min(rows, lines.length - 2) + 1).join('\n')}\n`);
  return file;
}

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/mooc-desk.js'), 'worker', '--queue', 'xlsx', '--concurrency', '1'],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('"worker started"')) resolve(proc);
    });
    proc.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function round(
  redis: { url: string } | { clusterNodes: string },
  prefix: string,
  workers: number,
  exportFile: string,
  dir: string,
) {
  const where =
    'url' in redis
      ? { REDIS_URL: redis.url }
      : { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: redis.clusterNodes };
  const env = { ...process.env, ...where, MOOC_DESK_QUEUE_PREFIX: prefix, LOG_FORMAT: 'json', LOG_LEVEL: 'info' };
  const config = queueConfig(env);
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
  const queues = openQueues(config);
  try {
    const t0 = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const r = await enqueueSync(queues, config, {
        v: 1,
        source: { kind: 'export', path: exportFile },
        target: { kind: 'xlsx', path: path.join(dir, `${prefix}-${i}.xlsx`) },
        asOf: '2020-03-01',
      });
      ids.push(r.jobId);
    }
    for (;;) {
      const c = await queues.xlsx.getJobCounts('completed', 'failed');
      if (c.completed + c.failed >= JOBS) {
        if (c.failed) throw new Error(`${c.failed} bench jobs failed`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = Date.now() - t0;
    const jobs = await Promise.all(ids.map((id) => queues.xlsx.getJob(id)));
    const latency = jobs.map((j) => j!.finishedOn! - j!.timestamp).sort((a, b) => a - b);
    const sync = jobs.map((j) => (j!.returnvalue as { durationMs: number }).durationMs);
    return {
      wallMs: wall,
      jobsPerSec: Math.round((JOBS / wall) * 1000 * 100) / 100,
      p50LatencyMs: latency[Math.floor(latency.length / 2)],
      p95LatencyMs: latency[Math.floor(latency.length * 0.95)],
      meanSyncMs: Math.round(sync.reduce((a, b) => a + b, 0) / sync.length),
    };
  } finally {
    await closeQueues(queues);
    await Promise.all(procs.map((p) => new Promise((r) => (p.once('exit', r), p.kill('SIGTERM')))));
  }
}

export async function benchQueue(): Promise<Record<string, number | string>> {
  const redis = await startRedis();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-bench-queue-'));
  try {
    const exportFile = cutExport(dir, ROWS);
    const load = os.loadavg()[0];
    const one = await round(redis, 'bench1', 1, exportFile, dir);
    const two = await round(redis, 'bench2', 2, exportFile, dir);
    let cluster: Awaited<ReturnType<typeof round>> | string = 'skipped: redis-cli not found';
    if (haveRedisCli()) {
      const c = await startRedisCluster(3);
      try {
        cluster = await round({ clusterNodes: c.nodes }, '{bench-cluster}', 2, exportFile, dir);
      } finally {
        await c.close();
      }
    }
    return {
      'queue: jobs': JOBS,
      'queue: rows per job': ROWS,
      'queue: cores': os.cpus().length,
      // Other load on the machine skews the speed-up: report it with the figures.
      'queue: load average (1 min) before': Math.round(load * 100) / 100,
      'queue: 1 worker, jobs/s': one.jobsPerSec,
      'queue: 2 workers, jobs/s': two.jobsPerSec,
      'queue: 2 workers, speed-up': Math.round((two.jobsPerSec / one.jobsPerSec) * 100) / 100,
      'queue: 2 workers, wall ms': two.wallMs,
      'queue: 2 workers, p50 latency ms': two.p50LatencyMs,
      'queue: 2 workers, p95 latency ms': two.p95LatencyMs,
      'queue: mean sync ms (in job)': two.meanSyncMs,
      'queue: overhead per job ms (1 worker)': Math.round(one.wallMs / JOBS - one.meanSyncMs),
      'queue: 2 workers on a 3-node Redis Cluster, jobs/s': typeof cluster === 'string' ? cluster : cluster.jobsPerSec,
      ...(typeof cluster === 'string'
        ? {}
        : {
            'queue: cluster vs single Redis (2 workers)': Math.round((cluster.jobsPerSec / two.jobsPerSec) * 100) / 100,
            'queue: cluster, p50 latency ms': cluster.p50LatencyMs,
            'queue: cluster, p95 latency ms': cluster.p95LatencyMs,
          }),
    };
  } finally {
    await redis.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module || process.argv[1]?.endsWith('queue.ts')) {
  benchQueue().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
