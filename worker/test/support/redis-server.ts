/**
 * A real `redis-server` for one test file: a free port, a temp dir, no automatic persistence.
 * `restart()` brings it back on the same port; with `{ keepData: true }` it first does
 * `SHUTDOWN SAVE` so the data survives (what a managed Redis with persistence does on a restart).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops the server (data kept on disk only with keepData) and starts it again on the same port. */
  restart(options?: { keepData?: boolean; downMs?: number }): Promise<void>;
  /** Stops the server; with keepData the dataset is saved for a later `start()`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and removes the temp dir. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** One RESP command over a raw socket (no client library, so the helper cannot leak one). */
export function redisCommand(port: number, args: string[], timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let out = '';
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(out);
    };
    const timer = setTimeout(() => done(new Error(`redis ${args[0]}: timeout`)), timeoutMs);
    socket.on('connect', () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`),
    );
    socket.on('data', (d) => {
      out += d.toString();
      if (out.endsWith('\r\n')) done();
    });
    socket.on('error', (e) => done(e));
    socket.on('close', () => done());
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-redis-'));
  let proc: ChildProcess | null = null;
  let stderr = '';

  async function start(): Promise<void> {
    if (proc) throw new Error('redis-server already running');
    // `--save ""` turns off automatic snapshots only; SHUTDOWN SAVE still writes dump.rdb in `dir`,
    // which the next start on the same dir loads.
    proc = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--dbfilename',
        'dump.rdb',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const p = proc;
    p.stderr?.on('data', (d) => (stderr += d.toString()));
    let exited = false;
    p.once('exit', () => (exited = true));
    p.once('error', (e) => {
      exited = true;
      stderr += `${e.message}\n`;
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (exited) {
        proc = null;
        throw new Error(`redis-server exited at start (is it installed? apt-get install redis-server): ${stderr}`);
      }
      try {
        const reply = await redisCommand(port, ['PING'], 300);
        // LOADING replies come while dump.rdb is read back.
        if (reply.startsWith('+PONG')) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING in 10 s: ${stderr}`);
      await sleep(25);
    }
  }

  async function stop(options: { keepData?: boolean } = {}): Promise<void> {
    const p = proc;
    if (!p) return;
    proc = null;
    const exited = new Promise<void>((resolve) =>
      p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve()),
    );
    if (options.keepData) {
      await redisCommand(port, ['SHUTDOWN', 'SAVE'], 5000).catch(() => undefined);
    } else {
      fs.rmSync(path.join(dir, 'dump.rdb'), { force: true });
      p.kill('SIGKILL');
    }
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    start,
    stop,
    async restart(options = {}) {
      await stop(options);
      if (options.downMs) await sleep(options.downMs);
      await start();
    },
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
