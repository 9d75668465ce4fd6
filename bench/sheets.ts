/**
 * Google Sheets backend against the local Sheets v4 test server: API calls and bytes per sync for
 * 1k / 10k / 100k Progress rows, with the real sync plan. Three syncs per size:
 *   first  – empty spreadsheet: template + every row (the largest write a sync ever makes);
 *   re-sync – the same export again (0 Progress cells);
 *   1% changed – one row in a hundred with new progress (the everyday case).
 * SHEETS_BENCH_SIZES=1000,10000 overrides the sizes.
 */
import type { ExportRecord } from '../shared/src/export-record';
import type { ExportBatch } from '../shared/src/sync-plan';
import { presetTokenAuth } from '../worker/src/adapters/google-auth';
import { SheetsWorkbook } from '../worker/src/adapters/sheets-workbook';
import { runSync } from '../worker/src/sync/run-sync';
import { FakeSheetsServer } from '../worker/test/support/fake-sheets-server';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Learners × courses with the real file's mix: 20% not started, 40% in progress, 40% completed. */
export function syntheticBatch(rows: number, changedEvery = 0): ExportBatch {
  const rand = rng(7);
  const start = Date.UTC(2026, 0, 10);
  const records: { line: number; record: ExportRecord }[] = [];
  for (let i = 0; i < rows; i++) {
    const learner = Math.floor(i / 4);
    const c = (learner * 7 + (i % 4) * 3) % 40;
    // Draw the same numbers for every row whatever the branch, so a changed row shifts nothing else.
    const [r0, r, r2, r3, r4, r5, r6, r7] = Array.from({ length: 8 }, rand);
    const enrolledAt = start + Math.floor(r0 * 30 * 86400e3);
    const completed = r >= 0.6;
    let progress =
      r < 0.2 ? 0 : completed ? (r2 < 0.11 ? Math.round(r3 * 5900) / 100 : 100) : Math.round(r3 * 9900) / 100;
    if (changedEvery && i % changedEvery === 0 && !completed) progress = Math.min(100, progress + 1.5);
    records.push({
      line: i + 2,
      record: {
        name: `Learner ${learner}`,
        email: `learner${learner}@univ.kz`,
        externalId: `S${100000 + learner}`,
        course: `Course ${c}`,
        courseId: `cid${c}`,
        slug: `course-${c}`,
        university: 'Partner University',
        enrolledAt,
        lastActivityAt: progress > 0 ? enrolledAt + Math.floor(r4 * 40 * 86400e3) : null,
        progress,
        estimatedHours: 20,
        learningHours: Math.round(progress * 0.2 * 100) / 100,
        completed,
        removed: r5 < 0.02,
        programSlug: 'cet-2026',
        completedAt: completed ? enrolledAt + Math.floor(r6 * 60 * 86400e3) : null,
        grade: completed ? 60 + Math.round(r7 * 4000) / 100 : null,
        certificateUrl: null,
      },
    });
  }
  return {
    source: `synthetic-${rows}.csv`,
    sha256: `bench-${rows}-${changedEvery}`,
    records,
    rejected: [],
    hasCertificateColumn: false,
  };
}

const kb = (b: number) => (b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);

export async function benchSheets(): Promise<Record<string, number | string>> {
  const sizes = (process.env.SHEETS_BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const server = await FakeSheetsServer.start({ requiredToken: 'bench' });
  const out: Record<string, number | string> = {};
  const asOf = Date.UTC(2026, 3, 1);
  try {
    for (const n of sizes) {
      const id = server.createSpreadsheet();
      const open = () =>
        new SheetsWorkbook({ spreadsheetId: id, auth: presetTokenAuth('bench'), rootUrl: server.rootUrl });
      const label = n >= 1000 ? `${n / 1000}k` : String(n);
      for (const [phase, batch] of [
        ['first sync', syntheticBatch(n)],
        ['re-sync', syntheticBatch(n)],
        ['1% changed', syntheticBatch(n, 100)],
      ] as const) {
        server.resetStats();
        const t0 = performance.now();
        const res = await runSync(open(), batch, { asOf, now: () => asOf });
        const ms = performance.now() - t0;
        const s = server.stats;
        const methods = Object.entries(s.byMethod)
          .map(([m, c]) => `${m}×${c}`)
          .join(', ');
        out[`${label} rows, ${phase}`] =
          `${s.calls} calls (${methods}); sent ${kb(s.bytesIn)}, received ${kb(s.bytesOut)}; ${res.stats.progressCellsWritten} Progress cells; ${(ms / 1000).toFixed(2)} s`;
      }
      server.spreadsheets.delete(id);
    }
  } finally {
    await server.close();
  }
  return out;
}

if (require.main === module || process.argv[1]?.endsWith('bench/sheets.ts')) {
  benchSheets()
    .then((r) => {
      for (const [k, v] of Object.entries(r)) console.log(`${k}: ${v}`);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
