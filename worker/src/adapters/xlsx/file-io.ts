/**
 * How a workbook file is replaced: the user's file keeps what the user set on it (permissions,
 * owner and group where this process may set them, a symlink stays a symlink), a read-only file
 * is refused instead of silently replaced, and no temp file outlives its writer for long.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../../shared/src/errors';
import { isRunning, ownProcessStart, pidSpaceTag, processStart } from './process-identity';

/** The workbook (or its folder) may not be written: the user has to change permissions or pick another file. */
export class ReadOnlyWorkbookError extends InputError {}

/** A symlink loop where the workbook should be. */
export class WorkbookLinkError extends InputError {}

/** A temp file nobody touched for this long belongs to a dead writer, whatever its name says (other hosts). */
export const STALE_TEMP_MS = 60 * 60 * 1000;
const MAX_LINKS = 40;

/**
 * The file `file` names after following its own symlinks (not its folders'): the one to replace,
 * so the link stays a link and the real workbook changes. A dangling link gives its destination.
 */
export function followLinks(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let link: string;
    try {
      if (!fs.lstatSync(current).isSymbolicLink()) return current;
      link = fs.readlinkSync(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw e;
    }
    current = path.resolve(path.dirname(current), link);
  }
  throw new WorkbookLinkError(`${file}: too many levels of symbolic links (a link loop?)`);
}

/**
 * Refuses a workbook this process must not replace. The owner's write bit is checked on top of
 * access(2) because root passes access(2) for any file: `chmod a-w` / `chmod 444` is how a user
 * says "do not change this", and a rename over the file would ignore it.
 */
export function assertWritableWorkbook(file: string): void {
  const target = followLinks(file);
  const shown = target === path.resolve(file) ? file : `${file} (→ ${target})`;
  const folder = path.dirname(target);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st && (st.mode & 0o200) === 0)
    throw new ReadOnlyWorkbookError(
      `${shown} is read-only (mode ${(st.mode & 0o777).toString(8)}); make it writable (chmod u+w) to write into it`,
    );
  if (st && !accessible(target))
    throw new ReadOnlyWorkbookError(
      `${shown} is not writable by this user; ask its owner or run as a user who may write it`,
    );
  if (!accessible(folder))
    throw new ReadOnlyWorkbookError(
      `${shown}: its folder ${folder} is not writable; every write creates a new file there and renames it over the workbook`,
    );
}

function accessible(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces `target` (or the file its symlink points to) with what `write` puts in a temp file
 * beside it, by one rename: readers see the old file or the new one, never half; a failed write
 * removes its temp file and leaves the target as it was. The temp file is created owner-only, so
 * a 600 workbook's content is never readable by others, and gets the target's mode, owner and
 * group before the rename.
 */
export async function replaceFileAtomically(target: string, write: (tmpPath: string) => Promise<void>): Promise<void> {
  assertWritableWorkbook(target);
  const real = followLinks(target);
  const original = statIfExists(real);
  const tmp = tempPathFor(real);
  try {
    fs.closeSync(fs.openSync(tmp, 'wx', original ? 0o600 : 0o666));
    await write(tmp);
    if (original) keepPermissions(tmp, original);
    syncToDisk(tmp);
    fs.renameSync(tmp, real);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncToDisk(path.dirname(real));
}

function statIfExists(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Owner and group only where allowed (root; or the owner choosing one of its groups): otherwise the writer owns the new file. */
function keepPermissions(tmp: string, original: fs.Stats): void {
  const now = fs.statSync(tmp);
  // chown before chmod: chown clears set-id bits.
  if ((now.uid !== original.uid || now.gid !== original.gid) && !tryChown(tmp, original.uid, original.gid))
    tryChown(tmp, now.uid, original.gid);
  fs.chmodSync(tmp, original.mode & 0o7777);
}

function tryChown(file: string, uid: number, gid: number): boolean {
  try {
    fs.chownSync(file, uid, gid);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw e;
  }
}

/** fsync so a power cut after the rename cannot leave an empty workbook; a folder that cannot be synced is not an error. */
function syncToDisk(file: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    fs.fsyncSync(fd);
  } catch (e) {
    if (!fs.statSync(file).isDirectory()) throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

const startTag = (start: string | undefined) =>
  start ? crypto.createHash('sha256').update(start).digest('hex').slice(0, 8) : 'x';

/** `.<name>.mooc-desk-<host+PID namespace>-<pid>-<start>-<random>.tmp`: enough to tell later whether its writer still runs. */
function tempPathFor(real: string): string {
  const id = `${pidSpaceTag()}-${process.pid}-${startTag(ownProcessStart())}-${crypto.randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(real), `.${path.basename(real)}.mooc-desk-${id}.tmp`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes the temp files a killed or crashed write of this workbook left beside it and returns
 * their paths. Only names this module makes are considered (and the `.<name>.<pid>.<ms>.tmp` of
 * earlier versions), and only when their writer is gone: same host and PID namespace and its PID no
 * longer runs or now names another process, or the file has not changed for STALE_TEMP_MS (other
 * hosts on a shared folder, other containers).
 */
export function removeStaleTempFiles(file: string, now = Date.now()): string[] {
  const real = followLinks(file);
  const folder = path.dirname(real);
  const base = escape(path.basename(real));
  const ours = new RegExp(`^\\.${base}\\.mooc-desk-([0-9a-f]{8})-(\\d+)-([0-9a-fx]+)-[0-9a-f]{8}\\.tmp$`);
  const legacy = new RegExp(`^\\.${base}\\.(\\d+)\\.(\\d{13})\\.tmp$`);
  const removed: string[] = [];
  for (const name of fs.readdirSync(folder)) {
    const m = ours.exec(name);
    const old = m ? null : legacy.exec(name);
    if (!m && !old) continue;
    const full = path.join(folder, name);
    const st = statIfExists(full);
    if (!st?.isFile()) continue;
    const abandoned = now - st.mtimeMs > STALE_TEMP_MS;
    const writerGone = m ? m[1] === pidSpaceTag() && ownerGone(Number(m[2]), m[3]) : !isRunning(Number(old![1]));
    if (abandoned || writerGone) {
      fs.rmSync(full, { force: true });
      removed.push(full);
    }
  }
  return removed;
}

/** Its PID no longer runs, or runs a process with another start (PID reuse, or PID 1 of another namespace). */
function ownerGone(pid: number, tag: string): boolean {
  if (!isRunning(pid)) return true;
  const start = processStart(pid);
  return tag !== 'x' && start !== undefined && startTag(start) !== tag;
}
