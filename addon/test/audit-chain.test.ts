/**
 * Set up and Refresh summaries verify the Audit hash chain and say where it breaks, in the user's
 * language: the built Code.js in a bare V8 context over the fake spreadsheet, as Apps Script runs it.
 */
import vm from 'node:vm';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { CATALOGS, format, translator } from '../src/i18n';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { auditChainAlert } from '../src/server/audit-check';
import { setupPlan, SETUP_TABS } from '../src/server/setup';
import { refreshSummaries } from '../src/server/summaries';
import { ADMIN, demoPlan, LAW_MENTOR } from '../dev/seed';
import { gasWorld } from './fakes/apps-script-globals';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';
import { useBuiltAddon } from './build-once';

const built = useBuiltAddon();

function seeded(language?: string): FakeSpreadsheet {
  const ss = new FakeSpreadsheet();
  new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() }).apply(demoPlan({ language }));
  return ss;
}

/** Two approvals through the add-on's own endpoint, so the Audit rows are what Apps Script writes. */
function withApprovals(language?: string) {
  const ss = seeded(language);
  const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: LAW_MENTOR });
  const context = vm.createContext({ ...world.globals });
  vm.runInContext(built.code, context, { filename: 'Code.js' });
  const approved = context.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }]);
  expect(approved.results[0].ok).toBe(true);
  return { ss, world, context };
}

/** Overwrites one Audit cell by header, as a person typing in the sheet would. */
function editAudit(ss: FakeSpreadsheet, sheetRow: number, header: string, value: string) {
  const audit = ss.getSheetByName('Audit')!;
  const col = (audit.dump()[0] as string[]).indexOf(header) + 1;
  expect(col).toBeGreaterThan(0);
  audit.getRange(sheetRow, col, 1, 1).setValues([[value]]);
}

describe('the Audit chain in the add-on', () => {
  test('Refresh summaries: no dialog while the chain is intact; an edited Audit row is named in the user language', () => {
    const { ss, world, context } = withApprovals('ru');
    const audit = ss.getSheetByName('Audit')!.dump();
    expect(audit[0]).toEqual(expect.arrayContaining(['Hash']));
    expect(audit).toHaveLength(3); // header, the seed's approval of erlan, aliya's
    context.menuRefreshSummaries();
    expect(world.alerts).toEqual([]);

    editAudit(ss, 2, 'After', 'Points=100; Letter=A');
    context.menuRefreshSummaries();
    expect(world.alerts).toEqual([format(CATALOGS.ru['msg.auditBroken'], { row: 2, trusted: 0 })]);
    expect(world.alerts[0]).toContain('строке 2');
    // The summaries were still refreshed.
    expect(ss.toasts.at(-1)).toBe(
      format(CATALOGS.ru['msg.summariesDone'], { rows: ss.getSheetByName('Progress')!.dump().length - 1 }),
    );
  });

  test('Set up says the same; an Audit row appended by hand is found at its row', () => {
    const { ss, world, context } = withApprovals('kk');
    const audit = ss.getSheetByName('Audit')!;
    const width = (audit.dump()[0] as string[]).length;
    audit
      .getRange(3, 1, 1, width)
      .setValues([
        [
          '2026-05-01 11:00',
          LAW_MENTOR,
          'Approve',
          'boris@student.example.kz',
          'law-101',
          '',
          'Points=100',
          '',
          '',
        ].slice(0, width),
      ]);
    world.user = ADMIN;
    context.menuSetUp();
    expect(world.alerts).toEqual([format(CATALOGS.kk['msg.auditBroken'], { row: 3, trusted: 1 })]);
  });
});

describe('server functions report the chain (no Apps Script)', () => {
  test('refreshSummaries and setupPlan return the verification; auditChainAlert speaks the catalogs', () => {
    const wb = new MemoryWorkbook();
    wb.apply(demoPlan());
    expect(refreshSummaries(wb).audit).toEqual({ rows: 1, intact: true, problems: [], trustedRows: 1 }); // the seed's approval of erlan
    expect(auditChainAlert(refreshSummaries(wb).audit, translator('en'))).toBeNull();
    wb.tabs
      .get('Audit')!
      .rows.push([
        '2026-05-01 11:00',
        LAW_MENTOR,
        'Approve',
        'x@uni.kz',
        'law-101',
        '',
        'Points=100',
        '',
        'f'.repeat(64),
      ]);
    const report = setupPlan(wb.read(SETUP_TABS)).summary.audit;
    expect(report).toMatchObject({ rows: 2, intact: false, trustedRows: 1, problems: [{ row: 3 }] });
    expect(auditChainAlert(report, translator('en'))).toBe(
      'The Audit tab was changed by hand: its hash chain breaks at row 3. The 1 entries above that row verify; from row 3 on, no entry can be trusted. File → Version history shows who changed it.',
    );
    expect(refreshSummaries(wb).audit.problems).toEqual(report.problems);
  });
});
