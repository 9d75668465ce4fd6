/** One benchmark phase in its own process, so peak RSS is that phase's alone. Prints one JSON line. */
import fs from 'node:fs';
import { parse } from 'csv-parse';
import { MemoryWorkbook } from '../shared/src/memory-workbook';
import { templatePlan } from '../shared/src/sync-plan';
import { XlsxWorkbook } from '../worker/src/adapters/xlsx-workbook';
import { readExportFile } from '../worker/src/sources/export-file';
import { runSync } from '../worker/src/sync/run-sync';
import { syncExportIntoXlsx } from '../worker/src/sync/sync-xlsx';
import { rosterAndCatalog } from './generate';

const [phase, exportFile, rowsText, workbookFile] = process.argv.slice(2);
const rows = Number(rowsText);
const AS_OF = '2026-05-15';

async function seededXlsx(file: string) {
  const wb = await XlsxWorkbook.open(file, { create: true });
  const { roster, courses } = rosterAndCatalog(rows);
  await wb.apply({
    tabs: templatePlan({}).map((t) =>
      t.tab === 'Roster' ? { ...t, appends: roster.rows } : t.tab === 'Courses' ? { ...t, appends: courses.rows } : t,
    ),
  });
}

async function main(): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  switch (phase) {
    case 'csv-parse': {
      let n = 0;
      for await (const _ of fs.createReadStream(exportFile).pipe(parse({ relax_column_count: true }))) n++;
      return { rows: n - 1, ms: performance.now() - t0 };
    }
    case 'memory': {
      const { roster, courses } = rosterAndCatalog(rows);
      const wb = new MemoryWorkbook({ Roster: roster, Courses: courses });
      const batch = await readExportFile(exportFile);
      const first = await runSync(wb, batch, { asOf: AS_OF });
      const ms = performance.now() - t0;
      const t1 = performance.now();
      const again = await runSync(wb, await readExportFile(exportFile), { asOf: AS_OF });
      return {
        ms,
        cells: first.stats.progressCellsWritten,
        resyncMs: performance.now() - t1,
        resyncCells: again.stats.progressCellsWritten,
        rejected: first.stats.rejected,
      };
    }
    case 'xlsx-seed':
      await seededXlsx(workbookFile);
      return { ms: performance.now() - t0 };
    case 'xlsx': {
      // What `mooc-desk sync EXPORT --workbook F` runs: the lock, the export read while the sheets inflate, the sync.
      const r = await syncExportIntoXlsx(exportFile, workbookFile, { asOf: AS_OF });
      return { ms: performance.now() - t0, cells: r.stats.progressCellsWritten };
    }
    default:
      throw new Error(`unknown phase ${phase}`);
  }
}

main().then(
  (r) =>
    process.stdout.write(`${JSON.stringify({ ...r, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`),
  (e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  },
);
