/**
 * One writer per workbook: an exclusive lock file beside it (beside the real file when the workbook
 * is a symlink). The lock names its holder by host, PID namespace, PID and process start, and says
 * how often the holder beats; the lock file's modification time is the heartbeat, touched while the
 * lock is held. A lock whose holder is gone is taken over, so neither a killed sync nor PID 1 of a
 * container can wedge the workbook:
 *
 * - holder on this host and in this PID namespace: its PID no longer runs, or runs another process
 *   (another start time: PID reuse) → taken over at once; same PID and start → held, whatever the
 *   heartbeat (a live process with a blocked event loop must not get a second writer beside it);
 * - another host (a shared folder), another PID namespace (a container, where "PID 1" is alive in
 *   every namespace), or no start to compare: taken over when the heartbeat is older than
 *   STALE_HEARTBEATS of the holder's intervals.
 *
 * Taking over is race-safe: a breaker first creates `<lock>.breaking` exclusively, re-reads the lock
 * and removes it only if it is still the very lock judged stale; the new lock is then created
 * exclusively like any other, so of several processes finding the same stale lock one wins.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { followLinks } from './file-io';
import { HOST, ownProcessStart, PID_NAMESPACE, processState, samePidSpace } from './process-identity';

export class WorkbookLockedError extends Error {}

export interface LockOptions {
  /** How often the holder touches the lock (default: MOOC_DESK_LOCK_HEARTBEAT_MS, else 10 s). */
  readonly heartbeatMs?: number;
  /** Receives what the user should know: a lock taken over, a lock lost. Default: stderr. */
  readonly notice?: (message: string) => void;
}

/** What a lock file says about its holder; every field optional, as locks of earlier versions lack some. */
const HolderSchema = z.object({
  host: z.string().optional(),
  pidNamespace: z.string().optional(),
  pid: z.number().int().positive().optional(),
  started: z.string().optional(),
  at: z.string().optional(),
  heartbeatMs: z.number().positive().optional(),
  token: z.string().optional(),
});
type Holder = z.infer<typeof HolderSchema>;

/** A lock file as found: what it says, its raw text and identity (to know it is still the same file). */
interface Found {
  readonly holder: Holder;
  readonly text: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** Slow shared folders may want a longer beat; tests a shorter one. */
const DEFAULT_HEARTBEAT_MS = Number(process.env.MOOC_DESK_LOCK_HEARTBEAT_MS) || 10_000;
/** Missed beats before an unverifiable holder counts as gone: room for an event loop busy writing a big file. */
export const STALE_HEARTBEATS = 6;
/** A breaker holds `<lock>.breaking` for microseconds: one older than this was left by a crash. */
const BREAKER_STALE_MS = 10_000;
const ATTEMPTS = 20;

export const lockPathFor = (file: string) => `${followLinks(file)}.lock`;
/** Where notices go when the caller gives no `notice`: the CLI's and the worker's stderr. */
export const stderrNotice = (message: string) => void process.stderr.write(`mooc-desk: ${message}\n`);

export async function withWorkbookLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const notice = options.notice ?? stderrNotice;
  const lock = lockPathFor(file);
  const token = crypto.randomBytes(8).toString('hex');
  const me: Holder = {
    host: HOST,
    pidNamespace: PID_NAMESPACE,
    pid: process.pid,
    started: ownProcessStart(),
    at: new Date().toISOString(),
    heartbeatMs,
    token,
  };
  const takenOver = await acquire(file, lock, me);
  if (takenOver) notice(`took over the lock of ${file}: ${takenOver}`);
  const beat = setInterval(() => touchIfOurs(lock, token), heartbeatMs);
  beat.unref(); // a forgotten lock must never keep the process alive
  try {
    return await fn();
  } finally {
    clearInterval(beat);
    if (!removeIfOurs(lock, token))
      notice(
        `the lock of ${file} was taken over by another process while this one held it (no heartbeat for too long?)`,
      );
  }
}

/** Takes the lock; returns why a stale lock was taken over (undefined when the lock was free). */
async function acquire(file: string, lock: string, me: Holder): Promise<string | undefined> {
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(lock, me)) return tookOver;
    const found = readLock(lock);
    if (!found) continue; // released between our two calls: try again
    const stale = whyStale(found);
    if (!stale) throw new WorkbookLockedError(lockedMessage(file, lock, found));
    const outcome = breakStale(lock, found, me);
    if (outcome === 'removed') tookOver = stale;
    if (outcome === 'busy') await new Promise((r) => setTimeout(r, 10 + attempt * 5)); // another process is breaking it
  }
  throw new WorkbookLockedError(`${file}: could not take its lock ${lock} (other processes keep taking it); try again`);
}

function tryCreate(lock: string, holder: Holder): boolean {
  try {
    fs.writeFileSync(lock, JSON.stringify(holder), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readLock(lock: string): Found | undefined {
  try {
    const st = fs.statSync(lock);
    const text = fs.readFileSync(lock, 'utf8');
    return { holder: parseHolder(text), text, ino: st.ino, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Unreadable content (a crash between create and write, or garbage) leaves only the heartbeat to judge by. */
function parseHolder(text: string): Holder {
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Why the lock's holder is gone, or undefined when it may still be working. */
function whyStale(found: Found, staleAfterMs = staleAfter(found.holder), now = Date.now()): string | undefined {
  const { holder } = found;
  // Locks written before hosts were recorded come from this host's processes.
  if (holder.pid !== undefined && samePidSpace(holder.host, holder.pidNamespace)) {
    const state = processState(holder.pid, holder.started);
    if (state === 'gone') return `${describe(holder)} is not running any more`;
    if (state === 'reused') return `${describe(holder)} ended; its PID now belongs to another process`;
    if (state === 'running') return undefined;
  }
  const silentMs = now - found.mtimeMs;
  if (silentMs > staleAfterMs) return `${describe(holder)} has sent no heartbeat for ${Math.round(silentMs / 1000)} s`;
  return undefined;
}

const staleAfter = (h: Holder) => STALE_HEARTBEATS * (h.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);

const describe = (h: Holder) => `its holder (pid ${h.pid ?? '?'} on ${h.host ?? '?'}, since ${h.at ?? '?'})`;

function lockedMessage(file: string, lock: string, found: Found): string {
  const h = found.holder;
  const beat = Math.max(0, Math.round((Date.now() - found.mtimeMs) / 1000));
  return (
    `${file} is being synced by another process (pid ${h.pid ?? '?'} on ${h.host ?? '?'}, since ${h.at ?? '?'}, ` +
    `last heartbeat ${beat} s ago); try again when it finishes. A holder that stops beating loses the lock after ` +
    `${Math.round(staleAfter(h) / 1000)} s; if you are sure no sync is running, delete ${lock}`
  );
}

/**
 * Removes `found` if it is still the lock file: `removed`; `changed` when the lock is no longer the
 * one judged (released, or already replaced); `busy` when another breaker is at work.
 */
function breakStale(lock: string, found: Found, me: Holder): 'removed' | 'changed' | 'busy' {
  const breaker = `${lock}.breaking`;
  if (!tryCreate(breaker, me)) {
    const other = readLock(breaker);
    if (other && whyStale(other, BREAKER_STALE_MS)) removeIfSame(breaker, other);
    return 'busy';
  }
  try {
    return removeIfSame(lock, found) ? 'removed' : 'changed';
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function removeIfSame(file: string, found: Found): boolean {
  const now = readLock(file);
  if (!now || now.ino !== found.ino || now.text !== found.text) return false;
  fs.rmSync(file, { force: true });
  return true;
}

/** One heartbeat; false when the lock is no longer ours. Never throws: it runs on a timer. */
function touchIfOurs(lock: string, token: string): boolean {
  try {
    if (readLock(lock)?.holder.token !== token) return false;
    const now = new Date();
    fs.utimesSync(lock, now, now);
    return true;
  } catch {
    return false;
  }
}

function removeIfOurs(lock: string, token: string): boolean {
  if (readLock(lock)?.holder.token !== token) return false;
  fs.rmSync(lock, { force: true });
  return true;
}
