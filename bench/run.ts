/**
 * `npm run bench`: the figures the issues ask for, each phase in its own process.
 * BENCH_ROWS overrides the export size (default 100 000). BENCH_CURVE=1000,10000,100000,250000
 * prints only the .xlsx curve instead: floor, sync into a seeded workbook, re-sync, file size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureExport } from './generate';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, '.bench');
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

function phase(name: string, ...args: string[]): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '--max-semi-space-size=32',
      path.join(ROOT, 'bin/run-ts.js'),
      path.join(__dirname, 'phase.ts'),
      name,
      ...args,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function optional(file: string, fn: string): Promise<Record<string, unknown> | null> {
  const full = path.join(__dirname, `${file}.ts`);
  if (!fs.existsSync(full)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(full) as Record<string, () => Promise<Record<string, unknown>>>)[fn]();
}

/** The .xlsx backend at several sizes, beside the in-memory sync of the same export: one line per size. */
function curve(sizes: number[]): void {
  const widths = [8, 8, 16, 16, 16, 16, 9, 8];
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' ');
  console.log(
    fmt(['rows', 'floor', 'sync in-memory', 'sync → .xlsx', 're-sync memory', 're-sync .xlsx', 'peak RSS', 'file']),
  );
  for (const rows of sizes) {
    const file = ensureExport(DIR, rows);
    const wbFile = path.join(DIR, `progress-${rows}.xlsx`);
    fs.rmSync(wbFile, { force: true });
    const floor = phase('csv-parse', file, String(rows));
    const mem = phase('memory', file, String(rows));
    phase('xlsx-seed', file, String(rows), wbFile);
    const sync = phase('xlsx', file, String(rows), wbFile);
    const resync = phase('xlsx', file, String(rows), wbFile);
    const x = (ms: number) => `${s(ms)} ${(ms / floor.ms).toFixed(1)}×`;
    const rss = `${Math.max(sync.maxRssMb, resync.maxRssMb)} MB`;
    const size = `${(fs.statSync(wbFile).size / 1e6).toFixed(1)} MB`;
    console.log(fmt([String(rows), s(floor.ms), x(mem.ms), x(sync.ms), x(mem.resyncMs), x(resync.ms), rss, size]));
  }
}

/** How many times each sync phase runs (BENCH_REPEAT): this VM class's timings swing ±20 % run to run. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

interface Measured {
  floor: number[];
  memory: number[];
  memoryResync: number[];
  xlsx: number[];
  xlsxResync: number[];
  rss: Record<'floor' | 'memory' | 'xlsx' | 'xlsxResync', number>;
  cells: Record<'memory' | 'memoryResync' | 'xlsx' | 'xlsxResync', number>;
}

/** Each phase REPEAT times, interleaved (floor, in-memory, .xlsx sync and re-sync on a new seeded workbook). */
function measure(file: string): Measured {
  const m: Measured = {
    floor: [],
    memory: [],
    memoryResync: [],
    xlsx: [],
    xlsxResync: [],
    rss: { floor: 0, memory: 0, xlsx: 0, xlsxResync: 0 },
    cells: { memory: 0, memoryResync: 0, xlsx: 0, xlsxResync: 0 },
  };
  const wbFile = path.join(DIR, `progress-${ROWS}.xlsx`);
  for (let i = 0; i < REPEAT; i++) {
    const floor = phase('csv-parse', file, String(ROWS));
    const mem = phase('memory', file, String(ROWS));
    fs.rmSync(wbFile, { force: true });
    phase('xlsx-seed', file, String(ROWS), wbFile);
    const xlsx = phase('xlsx', file, String(ROWS), wbFile);
    const resync = phase('xlsx', file, String(ROWS), wbFile);
    m.floor.push(floor.ms);
    m.memory.push(mem.ms);
    m.memoryResync.push(mem.resyncMs);
    m.xlsx.push(xlsx.ms);
    m.xlsxResync.push(resync.ms);
    m.rss = {
      floor: Math.max(m.rss.floor, floor.maxRssMb),
      memory: Math.max(m.rss.memory, mem.maxRssMb),
      xlsx: Math.max(m.rss.xlsx, xlsx.maxRssMb),
      xlsxResync: Math.max(m.rss.xlsxResync, resync.maxRssMb),
    };
    m.cells = { memory: mem.cells, memoryResync: mem.resyncCells, xlsx: xlsx.cells, xlsxResync: resync.cells };
  }
  return m;
}

/** The figures against issue 11's targets: medians over REPEAT runs, each against the median floor. */
function report(m: Measured): void {
  const floor = median(m.floor);
  const ratio = (xs: number[]) => median(xs) / floor;
  const rows: [string, number[], number | string, number, number][] = [
    ['sync → in-memory', m.memory, m.rss.memory, m.cells.memory, 3],
    ['re-sync → in-memory', m.memoryResync, '(same process)', m.cells.memoryResync, 2.5],
    ['sync → .xlsx', m.xlsx, m.rss.xlsx, m.cells.xlsx, 6],
    ['re-sync → .xlsx', m.xlsxResync, m.rss.xlsxResync, m.cells.xlsxResync, 4],
  ];
  const widths = [24, 10, 8, 16, 14, 18];
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' ');
  const spread = (xs: number[]) => (xs.length > 1 ? ` (${s(Math.min(...xs))}–${s(Math.max(...xs))})` : '');
  console.log(`Median of ${REPEAT} run(s) each; ratios against the median floor.
`);
  console.log(fmt(['phase', 'time', 'ratio', 'peak RSS', 'Progress cells', 'target']));
  console.log(fmt(['bare csv-parse (floor)', s(floor), '1.0×', `${m.rss.floor} MB`, '-', '']));
  for (const [name, xs, rss, cells, target] of rows) {
    const r = ratio(xs);
    const verdict = `≤ ${target}× ${r <= target ? 'met' : 'NOT met'}`;
    console.log(
      fmt([
        name,
        s(median(xs)),
        `${r.toFixed(2)}×`,
        typeof rss === 'number' ? `${rss} MB` : rss,
        String(cells),
        verdict,
      ]),
    );
    if (xs.length > 1) console.log(`${' '.repeat(25)}runs${spread(xs)}`);
  }
  const peak = Math.max(m.rss.xlsx, m.rss.xlsxResync);
  console.log(
    `
Peak RSS of the .xlsx syncs: ${peak} MB (target < 900 MB → ${peak < 900 ? 'met' : 'NOT met'}); a re-sync writes 0 Progress cells → ${m.cells.xlsxResync === 0 && m.cells.memoryResync === 0 ? 'met' : 'NOT met'}`,
  );
}

async function main() {
  if (process.env.BENCH_CURVE) return curve(process.env.BENCH_CURVE.split(',').map(Number));
  const file = ensureExport(DIR, ROWS);
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(`Export: ${ROWS} rows, ${mb} MB (${path.relative(ROOT, file)})\n`);
  report(measure(file));

  for (const [label, file2, fn] of [
    ['Eligibility (10k candidates × 100k history)', 'eligibility', 'benchEligibility'],
    ['Google Sheets API (test server)', 'sheets', 'benchSheets'],
    ['BullMQ queue', 'queue', 'benchQueue'],
    ['Approval sidebar (Chromium, 2,000 rows for one mentor)', '../addon/dev/bench-sidebar', 'benchSidebar'],
    [`One ${ROWS}-row .xlsx job through the queue, default settings`, 'long-job', 'benchLongJob'],
  ] as const) {
    const r = await optional(file2, fn);
    if (!r) continue;
    console.log(`\n${label}`);
    for (const [k, v] of Object.entries(r))
      console.log(`  ${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
