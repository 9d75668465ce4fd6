/** The CLI as a user meets it (issue 12): help, version, typos, wrong paths, a corrupt workbook, report compare. */
import fs from 'node:fs';
import path from 'node:path';
import { cli } from './support/cli';
import { eachTestInTempDir, sha } from './support/temp-dir';

const LEGACY = path.join(__dirname, 'fixtures/legacy/usage-report_cp1251.csv');
let dir: string;
eachTestInTempDir('mooc-cli-behaviour-', (d) => (dir = d));

describe('mooc-desk help and version', () => {
  test('--help gives one line per command, report compare included; --version prints package.json', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}sync +sync a Coursera export/m);
    expect(help.stdout).toMatch(
      /^ {2}report +report recognition: .*report sessions: .*report compare: per-school change between two dates/m,
    );
    expect(help.stdout).toMatch(/^ {2}mooc-desk init --workbook FILE\.xlsx \[--lang en\|kk\|ru\]$/m);
    const version = await cli(['--version']);
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(version).toEqual({ code: 0, stdout: `mooc-desk ${pkg.version}\n`, stderr: '' });
  });

  test('an unknown option names the one meant, exit 2', async () => {
    const res = await cli(['sync', LEGACY, '--workbook', path.join(dir, 'p.xlsx'), '--asof', '2026-03-01']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^mooc-desk sync: unknown option --asof; did you mean --as-of\?/);
    expect(fs.existsSync(path.join(dir, 'p.xlsx'))).toBe(false);
    expect((await cli(['init', '--wokbook', 'x.xlsx'], dir)).stderr).toMatch(
      /unknown option --wokbook; did you mean --workbook\?/,
    );
  });

  test('two letters swapped are one typo: --lnag, --form, and an unknown command names the one meant', async () => {
    expect((await cli(['init', '--workbook', 'x.xlsx', '--lnag', 'kk'], dir)).stderr).toMatch(
      /unknown option --lnag; did you mean --lang\?/,
    );
    const compare = await cli(['report', 'compare', '--workbook', 'x.xlsx', '--form', '2026-03-01'], dir);
    expect(compare).toMatchObject({ code: 2 });
    expect(compare.stderr).toMatch(/unknown option --form; did you mean --from\?/);
    const command = await cli(['snyc', 'usage.csv'], dir);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^mooc-desk: unknown command "snyc"; did you mean sync\?/);
    expect((await cli(['frobnicate'], dir)).stderr).toMatch(/^mooc-desk: unknown command "frobnicate"\n/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('workbook paths', () => {
  test('init --workbook notes.txt: exit 2, no file written', async () => {
    const res = await cli(['init', '--workbook', 'notes.txt'], dir);
    expect(res).toMatchObject({ code: 2 });
    expect(res.stderr).toMatch(/--workbook notes\.txt: a workbook is an \.xlsx file/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('init into a missing folder: exit 2 and a message, no stack trace', async () => {
    const res = await cli(['init', '--workbook', 'missing/progress.xlsx'], dir);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/the folder .*missing does not exist/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  test('sync into a corrupt workbook (a ZIP that is no .xlsx): exit 2, message, the file unchanged', async () => {
    const wb = path.join(dir, 'progress.xlsx');
    // A real ZIP without an Excel package inside.
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('notes.txt', 'not a workbook');
    fs.writeFileSync(wb, await zip.generateAsync({ type: 'nodebuffer' }));
    const before = sha(wb);
    const res = await cli(['sync', LEGACY, '--workbook', wb]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/progress\.xlsx: not a readable \.xlsx workbook \(not an Excel package\)/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(sha(wb)).toBe(before);
  });
});

describe('mooc-desk report compare', () => {
  test('prints per school the change between the nearest History dates; --json; no such date: exit 2', async () => {
    const wb = path.join(dir, 'p.xlsx');
    expect((await cli(['sync', LEGACY, '--workbook', wb, '--as-of', '2026-03-01'])).code).toBe(0);
    // The same learners a month later: Иванов completes.
    const later = path.join(dir, 'later.csv');
    const text = fs
      .readFileSync(LEGACY, 'latin1')
      .replace('2026-03-01T08:00:00Z,75,No,No,,0', '2026-03-20T08:00:00Z,100,Yes,No,2026-03-20T08:00:00Z,90');
    fs.writeFileSync(later, text, 'latin1');
    expect((await cli(['sync', later, '--workbook', wb, '--as-of', '2026-04-01'])).code).toBe(0);

    const res = await cli(['report', 'compare', '--workbook', wb, '--from', '2026-03-15', '--to', '2026-04-30']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/2026-03-01 → 2026-04-01/);
    expect(res.stdout).toMatch(/Total: enrolled 3 → 3 \(±0\) · completion 33\.3 % → 66\.7 % \(\+33\.3 pp\)/);
    const json = JSON.parse(
      (await cli(['report', 'compare', '--workbook', wb, '--from', '2026-03-01', '--to', '2026-04-01', '--json']))
        .stdout,
    );
    expect(json.schools.at(-1)).toMatchObject({ school: 'Total', change: { completed: 1 } });

    const before = await cli(['report', 'compare', '--workbook', wb, '--from', '2025-01-01', '--to', '2026-04-01']);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/Summary history has no date on or before 2025-01-01 \(the first is 2026-03-01\)/);
    const bad = await cli(['report', 'compare', '--workbook', wb, '--from', 'yesterday', '--to', '2026-04-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "yesterday" is not a date/);
  });
});
