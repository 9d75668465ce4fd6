/**
 * A real 3-master Redis Cluster for one test file (or the bench): `redis-server --cluster-enabled
 * yes` on free ports, joined with `redis-cli --cluster create … --cluster-replicas 0`, each node
 * with its own config file and append-only file in a temp dir. `restartNode(i)` kills one node's
 * process (SIGKILL) and starts it again on the same port with the same config file, as a crashed
 * and restarted server does; with no replicas its slots are unavailable while it is down.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, redisCommand } from './redis-server';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function haveRedisCli(): boolean {
  return spawnSync(REDIS_CLI, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface TestCluster {
  readonly ports: readonly number[];
  /** `127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3` — what REDIS_CLUSTER_NODES takes. */
  readonly nodes: string;
  /** Index of the node serving the hash slot of `key`. */
  nodeFor(key: string): Promise<number>;
  /** SIGKILL node i, leave it down for downMs, start it again (same port, same config file). */
  restartNode(i: number, downMs?: number): Promise<void>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The value part of a RESP bulk-string reply. */
function bulk(reply: string): string {
  return reply.replace(/^\$\d+\r\n/, '');
}

export async function startRedisCluster(size = 3): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < size; i++) {
    let p = await freePort();
    // The cluster bus listens on port + 10000: both must be free.
    while (p > 55_000 || ports.includes(p)) p = await freePort();
    ports.push(p);
  }
  const procs: (ChildProcess | null)[] = ports.map(() => null);

  async function startNode(i: number): Promise<void> {
    const port = ports[i];
    const proc = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1000',
        '--appendonly',
        'yes',
        '--appenddirname',
        `aof-${port}`,
        '--save',
        '',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    procs[i] = proc;
    let stderr = '';
    let exited = false;
    proc.stderr?.on('data', (d) => (stderr += d));
    proc.once('exit', () => (exited = true));
    proc.once('error', (e) => ((exited = true), (stderr += e.message)));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (exited) throw new Error(`redis-server (cluster node ${port}) exited at start: ${stderr}`);
      if ((await redisCommand(port, ['PING'], 300).catch(() => '')).startsWith('+PONG')) return;
      if (Date.now() > deadline) throw new Error(`cluster node ${port} did not answer PING in 10 s`);
      await sleep(25);
    }
  }

  async function stopNode(i: number): Promise<void> {
    const p = procs[i];
    procs[i] = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async function waitHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const infos = await Promise.all(ports.map((p) => redisCommand(p, ['CLUSTER', 'INFO'], 500).catch(() => '')));
      if (infos.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`cluster not ok after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  try {
    await Promise.all(ports.map((_, i) => startNode(i)));
    const create = spawnSync(
      REDIS_CLI,
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
    await waitHealthy();
  } catch (e) {
    await Promise.all(ports.map((_, i) => stopNode(i)));
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    ports,
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    async nodeFor(key) {
      const slot = Number(/:(\d+)/.exec(await redisCommand(ports[0], ['CLUSTER', 'KEYSLOT', key]))![1]);
      const nodes = bulk(await redisCommand(ports[0], ['CLUSTER', 'NODES'], 1000));
      for (const line of nodes.split('\n')) {
        const parts = line.trim().split(' ');
        if (parts.length < 9) continue;
        const port = Number(/:(\d+)@/.exec(parts[1])?.[1]);
        for (const range of parts.slice(8)) {
          const [a, b] = range.split('-').map(Number);
          if (slot >= a && slot <= (b ?? a)) return ports.indexOf(port);
        }
      }
      throw new Error(`no node serves slot ${slot}`);
    },
    async restartNode(i, downMs = 1500) {
      await stopNode(i);
      await sleep(downMs);
      await startNode(i);
      await waitHealthy();
    },
    waitHealthy,
    async close() {
      await Promise.all(ports.map((_, i) => stopNode(i)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
