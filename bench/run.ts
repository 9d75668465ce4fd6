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

async function main() {
  if (process.env.BENCH_CURVE) return curve(process.env.BENCH_CURVE.split(',').map(Number));
  const file = ensureExport(DIR, ROWS);
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(`Export: ${ROWS} rows, ${mb} MB (${path.relative(ROOT, file)})\n`);

  const floor = phase('csv-parse', file, String(ROWS));
  const mem = phase('memory', file, String(ROWS));
  const wbFile = path.join(DIR, `progress-${ROWS}.xlsx`);
  fs.rmSync(wbFile, { force: true });
  phase('xlsx-seed', file, String(ROWS), wbFile);
  const xlsx = phase('xlsx', file, String(ROWS), wbFile);
  const resync = phase('xlsx', file, String(ROWS), wbFile);

  const rows = [
    ['bare csv-parse (floor)', s(floor.ms), '1.0×', `${floor.maxRssMb} MB`, '-'],
    ['sync → in-memory', s(mem.ms), `${(mem.ms / floor.ms).toFixed(1)}×`, `${mem.maxRssMb} MB`, String(mem.cells)],
    [
      're-sync → in-memory',
      s(mem.resyncMs),
      `${(mem.resyncMs / floor.ms).toFixed(1)}×`,
      '(same process)',
      String(mem.resyncCells),
    ],
    ['sync → .xlsx', s(xlsx.ms), `${(xlsx.ms / floor.ms).toFixed(1)}×`, `${xlsx.maxRssMb} MB`, String(xlsx.cells)],
    [
      're-sync → .xlsx',
      s(resync.ms),
      `${(resync.ms / floor.ms).toFixed(1)}×`,
      `${resync.maxRssMb} MB`,
      String(resync.cells),
    ],
  ];
  const widths = [24, 10, 8, 16, 14];
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' ');
  console.log(fmt(['phase', 'time', 'ratio', 'peak RSS', 'Progress cells']));
  for (const r of rows) console.log(fmt(r));
  console.log(
    `\nTarget: in-memory sync within 3× the floor → ${mem.ms / floor.ms <= 3 ? 'met' : 'NOT met'} (${(mem.ms / floor.ms).toFixed(2)}×); re-sync writes 0 Progress cells → ${resync.cells === 0 && mem.resyncCells === 0 ? 'met' : 'NOT met'}`,
  );

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
