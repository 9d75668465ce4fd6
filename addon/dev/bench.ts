/**
 * How many rows the add-on's long operations can handle inside Apps Script's 6-minute limit,
 * estimated from the harness: the real server code runs over the SpreadsheetApp fake, which counts
 * the service calls and cells moved; the estimate adds Apps Script's costs to the measured compute.
 *
 *   node bin/run-ts.js addon/dev/bench.ts [rows]
 *
 * Cost model (assumptions, stated so they can be corrected with a real run):
 *   compute in Apps Script V8 ≈ 5 × Node; each range call ≈ 100 ms; getValues ≈ 15 µs per cell;
 *   setValues ≈ 40 µs per cell.
 */
import { PROGRESS_TAB, headersOf } from '../../shared/src/layout';
import type { Row } from '../../shared/src/cells';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { createServerApi } from '../src/server/endpoints';
import { refreshSummaries } from '../src/server/summaries';
import { FakeApp, FakeLock, FakeSpreadsheet } from '../test/fakes/spreadsheet';
import { ADMIN, demoPlan, LAW_MENTOR, makeIin, progressRow } from './seed';

const MODEL = { cpuFactor: 5, perCallMs: 100, readUsPerCell: 15, writeUsPerCell: 40 };
const LIMIT_S = 360;
/** Leave a third of the limit for Apps Script start-up, lock waits and slow days. */
const BUDGET_S = 240;

interface Measure {
  readonly name: string;
  readonly rows: number;
  readonly nodeMs: number;
  readonly calls: number;
  readonly cellsRead: number;
  readonly cellsWritten: number;
}

function estimateS(m: Measure): number {
  return (
    (m.nodeMs * MODEL.cpuFactor +
      m.calls * MODEL.perCallMs +
      (m.cellsRead * MODEL.readUsPerCell + m.cellsWritten * MODEL.writeUsPerCell) / 1000) /
    1000
  );
}

function fresh(rows: number): { ss: FakeSpreadsheet; wb: AppsScriptWorkbook } {
  const ss = new FakeSpreadsheet();
  const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() });
  const plan = demoPlan();
  const schools = ['School of Law', 'School of IT', 'School of Business', 'School of Medicine'];
  const progress: Row[] = [];
  for (let i = 0; i < rows; i++) {
    const engagement = (i * 37) % 101;
    progress.push(
      progressRow({
        Email: `s${i}@student.example.kz`,
        'Full name': `Student ${i}`,
        School: schools[i % schools.length],
        Course: 'Introduction to Law',
        'Course slug': 'law-101',
        Mentor: LAW_MENTOR,
        'Engagement %': engagement,
        Completed: engagement > 50 ? 'Yes' : 'No',
        'Course grade %': 60 + (i % 40),
        'Certificate URL': engagement > 60 ? `https://coursera.org/verify/X${i}` : null,
        Status: engagement >= 60 ? 'Ready for approval' : 'In progress',
      }),
    );
  }
  const candidates: Row[] = [];
  for (let i = 0; i < rows; i++) {
    candidates.push([
      'School of Law',
      `S-${i}`,
      makeIin('050101', 5, (i * 7) % 9000),
      `Candidate ${i}`,
      `c${i}@student.example.kz`,
      'G-1',
      2,
      'Active',
      null,
      null,
      null,
      null,
    ]);
  }
  wb.apply({
    tabs: plan.tabs.map((t) =>
      t.tab === PROGRESS_TAB.name
        ? { ...t, appends: progress }
        : t.tab === 'Candidates'
          ? { ...t, create: { header: t.create!.header }, appends: candidates }
          : t,
    ),
  });
  void headersOf;
  return { ss, wb };
}

function measure(name: string, rows: number, run: (wb: AppsScriptWorkbook) => void): Measure {
  const { ss, wb } = fresh(rows);
  const before = { ...ss.stats };
  const started = process.hrtime.bigint();
  run(wb);
  const nodeMs = Number(process.hrtime.bigint() - started) / 1e6;
  const s = ss.stats;
  return {
    name,
    rows,
    nodeMs,
    calls: s.getValues - before.getValues + (s.setValues - before.setValues) + (s.other - before.other),
    cellsRead: s.cellsRead - before.cellsRead,
    cellsWritten: s.cellsWritten - before.cellsWritten,
  };
}

function main(): void {
  const n = Number(process.argv[2] ?? 20_000);
  const ctx = (wb: AppsScriptWorkbook, user: string) => ({
    workbook: wb,
    userEmail: () => user,
    userLocale: () => 'ru',
    now: () => Date.parse('2026-05-01T06:00:00Z'),
    exclusive: <T>(fn: () => T) => wb.withLock(fn),
  });
  const results = [
    measure('Refresh summaries (Progress rows)', n, (wb) => refreshSummaries(wb)),
    measure('Eligibility check (Candidates rows)', n, (wb) => createServerApi(ctx(wb, ADMIN)).runEligibilityCheck()),
    measure('Approval sidebar load (Progress rows)', n, (wb) => createServerApi(ctx(wb, LAW_MENTOR)).getApprovalView()),
    measure('Approve 50 selected (Progress rows)', n, (wb) => {
      const items = Array.from({ length: 50 }, (_, i) => ({
        email: `s${i * 7 + 1}@student.example.kz`,
        slug: 'law-101',
        points: 80,
      }));
      createServerApi(ctx(wb, LAW_MENTOR)).approveRows(items);
    }),
  ];
  console.log(
    `Add-on time estimate at ${n} rows (model: ${JSON.stringify(MODEL)}; budget ${BUDGET_S} s of the ${LIMIT_S} s limit)\n`,
  );
  console.log(
    'operation'.padEnd(40),
    'node ms'.padStart(9),
    'calls'.padStart(6),
    'cells read'.padStart(11),
    'written'.padStart(9),
    'est. s'.padStart(8),
    'rows in budget'.padStart(15),
  );
  for (const m of results) {
    const est = estimateS(m);
    const fit = Math.floor((m.rows * BUDGET_S) / est);
    console.log(
      m.name.padEnd(40),
      m.nodeMs.toFixed(0).padStart(9),
      String(m.calls).padStart(6),
      String(m.cellsRead).padStart(11),
      String(m.cellsWritten).padStart(9),
      est.toFixed(1).padStart(8),
      String(fit).padStart(15),
    );
  }
}

main();
