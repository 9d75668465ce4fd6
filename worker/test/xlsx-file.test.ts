/**
 * Issue 11, the file part: what a sync does to the .xlsx file itself (permissions, read-only files,
 * symlinks, temp files of killed writes) and the lock beside it (dead, reused and container PIDs,
 * stale heartbeats, races). Real files, real child processes, real SIGKILLs; the CLI where a user
 * would meet the behaviour.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { XlsxWorkbook } from '../src/adapters/xlsx-workbook';
import { removeStaleTempFiles, replaceFileAtomically } from '../src/adapters/xlsx/file-io';
import { lockPathFor, withWorkbookLock, WorkbookLockedError } from '../src/adapters/xlsx/lock';
import { HOST, PID_NAMESPACE, processStart } from '../src/adapters/xlsx/process-identity';
import { cli } from './support/cli';
import { eachTestInTempDir, sha } from './support/temp-dir';

const REPO = path.resolve(__dirname, '../..');
const RUN_TS = path.join(REPO, 'bin/run-ts.js');
const CHILD = path.join(__dirname, 'support/workbook-file-child.ts');
const DEMO_EXPORT = path.join(REPO, 'demo/usage-report_2020_19col_fpt.csv');
const CSV_HEADER =
  'Name,Email,External Id,Course,Course Slug,Enrollment Time,Last Course Activity Time,Overall Progress,Completed,Removed From Program,Completion Time,Course Grade';

let dir: string;
eachTestInTempDir('mooc-file-', (d) => (dir = d));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function smallExport(): string {
  const file = path.join(dir, 'e.csv');
  fs.writeFileSync(file, `${CSV_HEADER}\n,a@uni.kz,,Law,intro-law,2026-02-01T00:00:00Z,,50,No,No,,\n`);
  return file;
}

async function newWorkbook(name = 'progress.xlsx'): Promise<string> {
  const file = path.join(dir, name);
  expect((await cli(['init', '--workbook', file])).code).toBe(0);
  return file;
}

const syncInto = (workbook: string) => cli(['sync', smallExport(), '--workbook', workbook, '--as-of', '2026-03-01']);
const syncLogRows = async (file: string) => (await XlsxWorkbook.open(file)).read(['Sync log'])['Sync log']!.rows.length;
const tempFiles = (folder: string) => fs.readdirSync(folder).filter((n) => n.endsWith('.tmp'));

/** A child process running support/workbook-file-child.ts; `line(prefix)` waits for its next such line. */
function child(...args: string[]) {
  const proc = spawn(process.execPath, [RUN_TS, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  const seen: string[] = [];
  const waiting: { prefix: string; resolve: (l: string) => void }[] = [];
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: proc.stdout }).on('line', (l) => {
    const w = waiting.findIndex((x) => l.startsWith(x.prefix));
    if (w >= 0) waiting.splice(w, 1)[0].resolve(l);
    else seen.push(l);
  });
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  const line = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const i = seen.findIndex((l) => l.startsWith(prefix));
      if (i >= 0) return resolve(seen.splice(i, 1)[0]);
      waiting.push({ prefix, resolve });
      void exited.then(() => reject(new Error(`child ${args.join(' ')} exited before "${prefix}": ${stderr}`)));
    });
  const kill = async () => {
    proc.kill('SIGKILL');
    await exited;
  };
  return { proc, line, kill, exited };
}

/** A PID that ran a moment ago and does not any more. */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(done.stdout);
}

describe('the workbook file', () => {
  test.each(['600', '640'])('a chmod %s workbook keeps its mode, owner and group after a sync', async (mode) => {
    const wb = await newWorkbook();
    fs.chmodSync(wb, parseInt(mode, 8));
    const root = process.getuid?.() === 0;
    if (root) fs.chownSync(wb, 4321, 8765); // as root the owner can be kept: show that it is
    const before = fs.statSync(wb);

    const res = await syncInto(wb);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const after = fs.statSync(wb);
    expect(after.ino).not.toBe(before.ino); // really replaced by a new file…
    expect((after.mode & 0o777).toString(8)).toBe(mode); // …that keeps the mode
    if (root) expect([after.uid, after.gid]).toEqual([4321, 8765]);
    expect(await syncLogRows(wb)).toBe(1);
  });

  test('a read-only workbook is refused: exit 2, a message naming it, the file byte-for-byte unchanged', async () => {
    const wb = await newWorkbook();
    // Tests run as root, where chmod does not stop a write: the refusal comes from the mode bits.
    fs.chmodSync(wb, 0o444);
    const before = sha(wb);
    const res = await syncInto(wb);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${wb} is read-only (mode 444); make it writable (chmod u+w)`);
    expect(res.stderr).toMatch(/The workbook was not changed/);
    expect(sha(wb)).toBe(before);
    expect((fs.statSync(wb).mode & 0o777).toString(8)).toBe('444');
    expect(fs.readdirSync(dir).sort()).toEqual(['e.csv', 'progress.xlsx']); // no temp file, no lock left
  });

  const canDropToNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  (canDropToNobody ? test : test.skip)(
    `as an ordinary user, a read-only workbook and another user's workbook are refused (exit 2), not replaced${canDropToNobody ? '' : ' — SKIPPED: needs root and setpriv to run the CLI as nobody'}`,
    async () => {
      // Before: the folder was writable, so the rename replaced either file without a word.
      const folder = path.join(dir, 'shared');
      fs.mkdirSync(folder);
      fs.chmodSync(dir, 0o755);
      fs.chownSync(folder, 65534, 65534);
      const own = await newWorkbook('shared/own.xlsx');
      fs.chownSync(own, 65534, 65534);
      fs.chmodSync(own, 0o444);
      const others = await newWorkbook('shared/others.xlsx'); // root's, 644
      const exp = smallExport();
      fs.chmodSync(exp, 0o644);
      const asNobody = (wb: string) =>
        spawnSync(
          'setpriv',
          [
            '--reuid=65534',
            '--regid=65534',
            '--clear-groups',
            process.execPath,
            path.join(REPO, 'bin/mooc-desk.js'),
          ].concat(['sync', exp, '--workbook', wb]),
          { encoding: 'utf8', cwd: dir },
        );
      const [ownBefore, othersBefore] = [sha(own), sha(others)];
      const mine = asNobody(own);
      expect(mine.stderr).toContain(`${own} is read-only (mode 444)`);
      expect(mine.status).toBe(2);
      const theirs = asNobody(others);
      expect(theirs.stderr).toContain(`${others} is not writable by this user`);
      expect(theirs.status).toBe(2);
      expect([sha(own), sha(others)]).toEqual([ownBefore, othersBefore]);
      expect(fs.readdirSync(folder).sort()).toEqual(['others.xlsx', 'own.xlsx']);
    },
  );

  test('a workbook reached through a symlink: the link stays a link and the real workbook is updated', async () => {
    fs.mkdirSync(path.join(dir, 'real'));
    const real = await newWorkbook('real/progress.xlsx');
    const link = path.join(dir, 'link.xlsx');
    fs.symlinkSync('real/progress.xlsx', link);

    const res = await syncInto(link);
    expect(res.code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('real/progress.xlsx');
    expect(await syncLogRows(real)).toBe(1);
    // The temp file and the lock lived beside the real file and are gone.
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['progress.xlsx']);
    expect(fs.readdirSync(dir).sort()).toEqual(['e.csv', 'link.xlsx', 'real']);
  });

  test('a write killed mid-way (SIGKILL) leaves the workbook as it was; the next sync removes its temp file only', async () => {
    const wb = await newWorkbook();
    const before = sha(wb);
    const others = ['.progress.xlsx.notes.tmp', 'other.tmp', '.other.xlsx.mooc-desk-00000000-1-x-00000000.tmp'];
    for (const n of others) fs.writeFileSync(path.join(dir, n), 'not ours');

    const writer = child('write', wb);
    const tmp = (await writer.line('writing ')).slice('writing '.length);
    expect(path.dirname(tmp)).toBe(dir);
    expect((fs.statSync(tmp).mode & 0o777).toString(8)).toBe('600'); // half a copy of the IINs: owner-only
    expect(removeStaleTempFiles(wb)).toEqual([]); // its writer still runs: kept
    await writer.kill();
    expect(sha(wb)).toBe(before);
    expect(fs.existsSync(tmp)).toBe(true);

    const res = await syncInto(wb);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`removed 1 temp file(s) an interrupted write left beside ${wb}: ${tmp}`);
    expect(fs.existsSync(tmp)).toBe(false);
    expect(tempFiles(dir).sort()).toEqual([...others].sort());
  });

  test('a write that fails removes its temp file and leaves the workbook as it was', async () => {
    const wb = await newWorkbook();
    const before = sha(wb);
    await expect(
      replaceFileAtomically(wb, async (tmp) => {
        fs.writeFileSync(tmp, 'partial');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(sha(wb)).toBe(before);
    expect(tempFiles(dir)).toEqual([]);
  });
});

describe('the workbook lock', () => {
  test('a live holder refuses a second sync; once it is killed, the next sync takes the lock over and says so', async () => {
    const wb = await newWorkbook();
    const before = sha(wb);
    const holder = child('hold', wb);
    await holder.line('held');

    const refused = await syncInto(wb);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `being synced by another process \\(pid ${holder.proc.pid} on ${HOST}, since .*last heartbeat \\d+ s ago`,
      ),
    );
    expect(sha(wb)).toBe(before);

    await holder.kill();
    const res = await syncInto(wb);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(
      new RegExp(`took over the lock of ${wb}: its holder \\(pid ${holder.proc.pid} .*not running`),
    );
    expect(await syncLogRows(wb)).toBe(1);
    expect(fs.existsSync(`${wb}.lock`)).toBe(false);
  });

  test('a lock naming a live PID that now runs another process (PID reuse) is taken over', async () => {
    const wb = path.join(dir, 'p.xlsx');
    const sleeper = spawn('sleep', ['30']);
    children.push(sleeper);
    const started = processStart(sleeper.pid!)!;
    const lock = { host: HOST, pidNamespace: PID_NAMESPACE, pid: sleeper.pid, started: `${started}0`, at: 'earlier' };
    fs.writeFileSync(`${wb}.lock`, JSON.stringify(lock));
    const notices: string[] = [];
    await expect(withWorkbookLock(wb, async () => 'ok', { notice: (m) => notices.push(m) })).resolves.toBe('ok');
    expect(notices).toEqual([
      `took over the lock of ${wb}: its holder (pid ${sleeper.pid} on ${HOST}, since earlier) ended; its PID now belongs to another process`,
    ]);
    // The same PID with its real start time is a live holder.
    fs.writeFileSync(`${wb}.lock`, JSON.stringify({ ...lock, started }));
    await expect(withWorkbookLock(wb, async () => 'second')).rejects.toThrow(WorkbookLockedError);
  });

  test('a holder on another host: held while it beats, taken over once its heartbeat is stale', async () => {
    const wb = path.join(dir, 'p.xlsx');
    const lock = `${wb}.lock`;
    fs.writeFileSync(lock, JSON.stringify({ host: 'other-host', pid: 1, heartbeatMs: 10_000, at: 'earlier' }));
    await expect(withWorkbookLock(wb, async () => 'fresh')).rejects.toThrow(
      /pid 1 on other-host, since earlier, last heartbeat 0 s ago\); try again when it finishes\. A holder that stops beating loses the lock after 60 s/,
    );
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    fs.utimesSync(lock, twoMinutesAgo, twoMinutesAgo);
    const notices: string[] = [];
    await expect(withWorkbookLock(wb, async () => 'ok', { notice: (m) => notices.push(m) })).resolves.toBe('ok');
    expect(notices).toEqual([
      `took over the lock of ${wb}: its holder (pid 1 on other-host, since earlier) has sent no heartbeat for 120 s`,
    ]);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('the holder beats: the lock file is touched while held', async () => {
    const wb = path.join(dir, 'p.xlsx');
    const lock = lockPathFor(wb);
    const old = new Date(Date.now() - 60_000);
    await withWorkbookLock(
      wb,
      async () => {
        fs.utimesSync(lock, old, old);
        await new Promise((r) => setTimeout(r, 300));
        expect(Date.now() - fs.statSync(lock).mtimeMs).toBeLessThan(1000);
        expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({
          host: HOST,
          pid: process.pid,
          heartbeatMs: 50,
        });
      },
      { heartbeatMs: 50 },
    );
  });

  test('three processes finding the same stale lock: exactly one takes it over', async () => {
    const wb = path.join(dir, 'p.xlsx');
    fs.writeFileSync(`${wb}.lock`, JSON.stringify({ host: HOST, pid: deadPid(), at: 'earlier' }));
    const go = path.join(dir, 'go');
    const racers = [0, 1, 2].map(() => child('race', wb, go));
    await Promise.all(racers.map((r) => r.line('ready')));
    fs.writeFileSync(go, '');
    const outcomes = await Promise.all(racers.map((r) => Promise.race([r.line('won'), r.line('refused')])));
    expect([...outcomes].sort()).toEqual(['refused', 'refused', 'won']);
    const winner = racers[outcomes.indexOf('won')];
    expect(JSON.parse(fs.readFileSync(`${wb}.lock`, 'utf8'))).toMatchObject({ pid: winner.proc.pid });
    expect(fs.existsSync(`${wb}.lock.breaking`)).toBe(false);
  });
});

const unshare = spawnSync('unshare', ['-p', '-f', '--mount-proc', 'true'], { encoding: 'utf8' });
const unshareSkip =
  unshare.status === 0
    ? ''
    : ` — SKIPPED: unshare -p -f --mount-proc is not permitted here (${unshare.error?.message ?? unshare.stderr.trim()})`;

describe('a container (a PID namespace)', () => {
  (unshareSkip ? test.skip : test)(
    `a sync killed as PID 1 of its own PID namespace leaves a lock that the next sync outside takes over${unshareSkip}`,
    async () => {
      const wb = path.join(dir, 'progress.xlsx');
      const lock = `${wb}.lock`;
      // A short heartbeat so the abandoned lock goes stale in about a second, not a minute; --kill-child so
      // that a test failing early ends the namespace with unshare (afterEach kills it).
      const inside = spawn(
        'unshare',
        [
          '-p',
          '-f',
          '--mount-proc',
          '--kill-child',
          process.execPath,
          path.join(REPO, 'bin/mooc-desk.js'),
          'sync',
          DEMO_EXPORT,
        ].concat(['--workbook', wb, '--as-of', '2020-03-01']),
        { env: { ...process.env, MOOC_DESK_LOCK_HEARTBEAT_MS: '200' }, stdio: 'ignore' },
      );
      children.push(inside);
      const holder = await waitForLock(lock, 60_000);
      expect(holder).toMatchObject({ pid: 1, host: HOST, heartbeatMs: 200 });
      expect(holder.pidNamespace).not.toBe(PID_NAMESPACE);
      // Kill the sync itself (the namespace's PID 1, seen from here under another PID) with SIGKILL.
      const node = Number(fs.readFileSync(`/proc/${inside.pid}/task/${inside.pid}/children`, 'utf8').trim());
      process.kill(node, 'SIGKILL');
      await new Promise((r) => inside.on('exit', r));
      expect(fs.existsSync(lock)).toBe(true);

      // PID 1 is alive out here too, but it is not the holder: the lock goes by its heartbeat.
      await new Promise((r) => setTimeout(r, 1300));
      const res = await syncInto(wb);
      expect(res.code).toBe(0);
      expect(res.stderr).toMatch(
        /took over the lock of .*: its holder \(pid 1 on .*\) has sent no heartbeat for \d+ s/,
      );
      expect(await syncLogRows(wb)).toBe(1);
      expect(fs.existsSync(lock)).toBe(false);
      expect(tempFiles(dir)).toEqual([]);
    },
  );
});

async function waitForLock(lock: string, ms: number): Promise<Record<string, unknown>> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      return JSON.parse(fs.readFileSync(lock, 'utf8')) as Record<string, unknown>;
    } catch {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  throw new Error(`no lock at ${lock} within ${ms} ms`);
}
