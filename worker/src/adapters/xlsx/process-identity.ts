/**
 * Who a process is, beyond its PID: PIDs are reused, and PID 1 of a container is a different process
 * from PID 1 outside it. A process is named by host, PID and start time; the lock and the temp-file
 * cleanup use this to tell a live owner from a leftover.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

export const HOST = os.hostname();

/**
 * The PID namespace this process sees (Linux), e.g. `pid:[4026531836]`. A PID only names a process
 * inside one namespace: two containers on one host may share a host name, yet their PID 7s differ.
 */
export const PID_NAMESPACE: string | undefined = readLinkOr('/proc/self/ns/pid');

/** Whether a PID recorded by (host, namespace) can be looked up here; records without a namespace predate it. */
export const samePidSpace = (host: string | undefined, pidNamespace: string | undefined) =>
  (host ?? HOST) === HOST && (pidNamespace === undefined || pidNamespace === PID_NAMESPACE);

/** Eight hex digits naming this host and PID namespace: short enough for a file name, no odd characters. */
export const pidSpaceTag = () =>
  crypto
    .createHash('sha256')
    .update(`${HOST}\n${PID_NAMESPACE ?? ''}`)
    .digest('hex')
    .slice(0, 8);

function readLinkOr(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

/**
 * An opaque identity of the process's start, or undefined when the system does not say. Linux:
 * field 22 of /proc/PID/stat (clock ticks since boot) with the boot id, so it is stable for the
 * process's life — unlike a wall-clock start derived from `btime`, which NTP can shift by a second.
 * Elsewhere: `ps -o lstart`.
 */
export function processStart(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return `linux:${bootId()}:${fields[22 - 3]}`;
    } catch {
      return undefined;
    }
  }
  try {
    const lstart = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return lstart ? `ps:${lstart}` : undefined;
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;
function bootId(): string {
  cachedBootId ??= readOr('/proc/sys/kernel/random/boot_id', 'unknown-boot').trim();
  return cachedBootId;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

let ownStart: string | undefined;
/** This process's start identity (cached: it never changes). */
export function ownProcessStart(): string | undefined {
  ownStart ??= processStart(process.pid);
  return ownStart;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What became of a process seen on this host: `gone` (no such PID), `reused` (the PID now names a
 * process with another start), `running` (same PID and start), or `unverified` (running, but no
 * start was recorded or can be read, so the PID alone cannot prove it is the same process).
 */
export type ProcessState = 'running' | 'gone' | 'reused' | 'unverified';

export function processState(pid: number, recordedStart: string | undefined): ProcessState {
  if (!isRunning(pid)) return 'gone';
  const now = processStart(pid);
  if (!recordedStart || !now) return 'unverified';
  return now === recordedStart ? 'running' : 'reused';
}
