/**
 * The built Code.js as Apps Script runs it: loaded into a bare V8 context (no Node, no require)
 * with fake Apps Script globals, then called through the top-level functions only.
 */
import vm from 'node:vm';
import { MENU_FUNCTIONS, SERVER_FUNCTIONS, SIDEBARS, TRIGGER_FUNCTIONS } from '../src/api';
import { CATALOGS, format } from '../src/i18n';
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_TAB, LAYOUT, headersOf } from '../../shared/src/layout';
import { localized } from '../../shared/src/i18n/localized-workbook';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { ADMIN, demoPlan, LAW_MENTOR, XSS_NAME } from '../dev/seed';
import { FACILITATOR, facilitatedPlan } from '../dev/seed-facilitated';
import { AuthMode, gasWorld, type GasWorld } from './fakes/apps-script-globals';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';
import { useBuiltAddon } from './build-once';

const built = useBuiltAddon();

function load(world: GasWorld): vm.Context {
  const context = vm.createContext({ ...world.globals });
  vm.runInContext(built.code, context, { filename: 'Code.js' });
  return context;
}

function seeded(options: { language?: string; facilitated?: boolean } = {}): FakeSpreadsheet {
  const ss = new FakeSpreadsheet();
  const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() });
  wb.apply(demoPlan(options));
  if (options.facilitated) wb.apply(facilitatedPlan());
  ss.stats.getValues = 0;
  return ss;
}

describe('Code.js in a bare V8 context', () => {
  test('loads without Node and defines every menu, trigger and server function at top level', () => {
    const world = gasWorld({ distDir: built.dir });
    const context = load(world);
    expect(typeof context.require).toBe('undefined');
    // Every sidebar of the API is built (build.mjs keeps its own list).
    for (const name of SIDEBARS) expect(fs.existsSync(path.join(built.dir, `${name}.html`))).toBe(true);
    for (const name of [...MENU_FUNCTIONS, ...TRIGGER_FUNCTIONS, ...SERVER_FUNCTIONS]) {
      expect(typeof context[name]).toBe('function');
    }
    // Loading touches no Apps Script service.
    expect(world.documentAccess).toEqual([]);
  });

  test('onOpen in AuthMode.NONE builds the menu from the locale without opening the document', () => {
    const world = gasWorld({ distDir: built.dir, authMode: AuthMode.NONE, locale: 'ru_RU' });
    const context = load(world);
    context.onOpen({ authMode: AuthMode.NONE });
    expect(world.documentAccess).toEqual([]);
    expect(world.menus).toHaveLength(1);
    const items = world.menus[0].items.filter((i) => i !== 'separator');
    expect(items.map((i) => i.caption)).toEqual([
      CATALOGS.ru['menu.setUp'],
      CATALOGS.ru['menu.import'],
      CATALOGS.ru['menu.eligibility'],
      CATALOGS.ru['menu.students'],
      CATALOGS.ru['menu.approval'],
      CATALOGS.ru['menu.attendance'],
      CATALOGS.ru['menu.refreshSummaries'],
      CATALOGS.ru['menu.recognition'],
      CATALOGS.ru['menu.auditCheck'],
    ]);
    for (const item of items) expect(typeof context[item.functionName]).toBe('function');
    expect(items.map((i) => i.functionName).sort()).toEqual([...MENU_FUNCTIONS].sort());
  });

  test('onInstall builds the same menu; with access, Settings Language wins over the locale', () => {
    const world = gasWorld({
      distDir: built.dir,
      authMode: AuthMode.FULL,
      locale: 'en_US',
      spreadsheet: seeded({ language: 'kk' }),
    });
    const context = load(world);
    context.onInstall({ authMode: AuthMode.FULL });
    expect((world.menus[0].items[0] as { caption: string }).caption).toBe(CATALOGS.kk['menu.setUp']);
  });

  test('Set up in a ru locale: a Russian workbook (Settings › Language = ru); an English tab is renamed, its data kept', () => {
    const ss = new FakeSpreadsheet();
    ss.insertSheet('Courses')
      .getRange(1, 1, 2, 3)
      .setValues([
        ['Course slug', 'My notes', 'Model'],
        ['law-101', 'keep this', 'full'],
      ]);
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN, locale: 'ru_RU' });
    load(world).menuSetUp();
    expect(world.alerts).toEqual([]);
    expect(ss.getSheetByName('Settings')).toBeNull();
    expect(ss.getSheetByName('Настройки')!.dump()).toContainEqual(['Язык', 'ru']);
    expect(ss.getSheetByName('Успеваемость')!.dump()[0]).toEqual(expect.arrayContaining(['Статус', 'Баллы']));
    expect(ss.getSheetByName('Courses')).toBeNull();
    const courses = ss.getSheetByName('Курсы')!;
    const dump = courses.dump();
    expect(dump[0].slice(0, 3)).toEqual(['Slug курса', 'My notes', 'Модель']);
    expect(dump[1].slice(0, 3)).toEqual(['law-101', 'keep this', 'full']); // a human's cell: kept as typed
    expect(courses.validations.find((v) => v.range.getColumn() === 3)?.rule).toMatchObject({
      kind: 'list',
      values: ['частичная', 'полная'],
    });
    expect(ss.toasts.at(-1)).toBe(format(CATALOGS.ru['msg.setupDone'], { created: LAYOUT.length - 1, added: 5 }));
  });

  test('Set up creates every layout tab with headers, validation and formats, and keeps existing data', () => {
    const ss = new FakeSpreadsheet();
    const courses = ss.insertSheet('Courses');
    courses.getRange(1, 1, 2, 3).setValues([
      ['Course slug', 'My notes', 'Mentor'],
      ['law-101', 'keep this', 'm@x.kz'],
    ]);
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN, locale: 'en_US' });
    const context = load(world);
    context.menuSetUp();
    // A new Settings tab takes the installing user's language (see the ru test below); the toast speaks it.
    expect(
      ss
        .getSheetByName('Settings')!
        .dump()
        .find((r) => r[0] === 'Language'),
    ).toEqual(['Language', 'en']);
    expect(world.alerts).toEqual([]);
    for (const tab of LAYOUT) expect(ss.getSheetByName(tab.name)).not.toBeNull();
    expect(ss.getSheetByName('Progress')!.dump()[0]).toEqual(headersOf(LAYOUT.find((t) => t.name === 'Progress')!));
    // The user's column and row stay; the missing layout columns are added at the right end.
    const after = ss.getSheetByName('Courses')!.dump();
    expect(after[0].slice(0, 3)).toEqual(['Course slug', 'My notes', 'Mentor']);
    expect(after[1].slice(0, 3)).toEqual(['law-101', 'keep this', 'm@x.kz']);
    expect(after[0]).toEqual(expect.arrayContaining(['Model', 'Deadline', 'Credits']));
    const modelCol = after[0].indexOf('Model') + 1;
    const model = courses.validations.find((v) => v.range.getColumn() === modelCol);
    expect(model?.rule).toMatchObject({ kind: 'list', values: ['partial', 'full'], allowInvalid: false });
    const progress = ss.getSheetByName('Progress')!;
    const pointsCol = (progress.dump()[0] as string[]).indexOf('Points') + 1;
    expect(progress.validations.find((v) => v.range.getColumn() === pointsCol)?.rule).toMatchObject({
      kind: 'number',
      min: 0,
      max: 100,
    });
    const candidates = ss.getSheetByName('Candidates')!;
    const statusCol = (candidates.dump()[0] as string[]).indexOf('School status') + 1;
    expect(candidates.validations.find((v) => v.range.getColumn() === statusCol)?.rule).toMatchObject({
      values: ['Active', 'Expelled', 'Dropping out', 'Academic leave'],
    });
    expect(progress.getConditionalFormatRules().length).toBeGreaterThan(0);
    expect(ss.toasts.at(-1)).toBe(
      CATALOGS.en['msg.setupDone'].replace('{created}', String(LAYOUT.length - 1)).replace('{added}', '5'),
    );

    // Protection: Audit and Sync log whole, the approval columns for the mentors, admins and whoever
    // ran Set up; the sync-owned columns warn.
    const ours = (name: string) =>
      ss.getSheetByName(name)!.protections.filter((p) => p.description.startsWith('MOOC Desk:'));
    expect(ours('Audit').map((p) => [p.type, p.warningOnly, [...p.editors].sort()])).toEqual([
      ['SHEET', false, [ADMIN, 'm@x.kz', ss.owner].sort()],
    ]);
    expect(ours('Sync log').map((p) => p.type)).toEqual(['SHEET']);
    const header = progress.dump()[0] as string[];
    const approval = ours('Progress').filter((p) => !p.warningOnly);
    expect(approval.map((p) => header[p.getRange().getColumn() - 1])).toEqual([
      'Points',
      'Letter',
      'Approved by',
      'Approved at',
    ]);
    expect(
      ours('Progress')
        .filter((p) => p.warningOnly)
        .map((p) => header[p.getRange().getColumn() - 1]),
    ).toEqual(header.slice(0, header.indexOf('Status') + 1));

    // Twice: nothing more created, data unchanged, no protection stacked.
    const snapshot = ss.sheets.map((s) => [s.getName(), s.dump(), s.protections.length]);
    context.menuSetUp();
    expect(ss.sheets.map((s) => [s.getName(), s.dump(), s.protections.length])).toEqual(snapshot);
  });

  test('Refresh summaries rebuilds the summary tabs and draws two charts, replacing (not stacking) them', () => {
    const ss = seeded();
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
    const context = load(world);
    context.menuRefreshSummaries();
    context.menuRefreshSummaries();
    expect(world.alerts).toEqual([]);
    const bySchool = ss.getSheetByName('Summary by school')!;
    const rows = bySchool.dump();
    expect(rows[0][0]).toBe('School');
    expect(rows.at(-1)![0]).toBe('Total');
    expect(bySchool.charts.map((c) => c.spec.type)).toEqual(['BAR', 'HISTOGRAM']);
    expect(bySchool.charts[0].getOptions().get('title')).toBe(CATALOGS.en['chart.completionBySchool']);
  });

  test('Refresh summaries draws completion rate and low-engagement share over time from Summary history', () => {
    const ss = seeded();
    const header = headersOf(HISTORY_TAB);
    const point = (date: string, school: string, rate: number, low: number) => [
      date,
      school,
      10,
      1,
      1,
      rate,
      2,
      low,
      0,
      0,
    ];
    new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() }).apply({
      tabs: [
        {
          tab: HISTORY_TAB.name,
          replace: {
            header,
            rows: [
              point('2026-03-01', 'Total', 0.1, 0.3),
              point('2026-04-01', 'Total', 0.4, 0.2),
              point('2026-03-01', 'Law School', 0.1, 0.3),
            ],
          },
        },
      ],
    });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
    load(world).menuRefreshSummaries();
    const bySchool = ss.getSheetByName('Summary by school')!;
    expect(bySchool.charts.map((c) => c.spec.type)).toEqual(['BAR', 'HISTOGRAM', 'LINE']);
    const trend = bySchool.charts[2];
    expect(trend.getOptions().get('title')).toBe(CATALOGS.en['chart.trend']);
    // The Total rows only (sheet rows 2–3): dates, completion rate, low-engagement share.
    expect(trend.spec.ranges.map((r) => r.getValues().map((v) => v[0]))).toEqual([
      ['2026-03-01', '2026-04-01'],
      [0.1, 0.4],
      [0.3, 0.2],
    ]);
  });

  test('Refresh summaries with facilitated data: the level spread per group and certificates per course, not stacked', () => {
    const ss = seeded({ facilitated: true });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
    const context = load(world);
    context.menuRefreshSummaries();
    context.menuRefreshSummaries();
    expect(world.alerts).toEqual([]);
    expect(ss.getSheetByName('Summary by school')!.charts.map((c) => c.spec.type)).toEqual(['BAR', 'HISTOGRAM']);

    // Selected participants only: Aktau-1 (Hana 41 → B1, Gani 71 → C2); Almaty-1 (Aigerim 28 → A1,
    // Bolat 55 → B2, the <img> participant 45 → B1, Dana no score). The Total row is not charted.
    const levels = ss.getSheetByName('Levels by group')!;
    expect(levels.dump().slice(1)).toEqual([
      ['Aktau-1', 0, 0, 1, 0, 0, 1, 0, 0, 2],
      ['Almaty-1', 1, 0, 1, 1, 0, 0, 1, 0, 4],
      ['Total', 1, 0, 2, 1, 0, 1, 1, 0, 6],
    ]);
    expect(levels.charts).toHaveLength(1);
    const spread = levels.charts[0];
    expect(spread.spec.type).toBe('COLUMN');
    expect(spread.spec.options).toMatchObject({ title: CATALOGS.en['chart.levels'], isStacked: true, numHeaders: 1 });
    expect(spread.spec.ranges.map((r) => r.getValues())).toEqual([
      [['Group'], ['Aktau-1'], ['Almaty-1']],
      [
        ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'],
        [0, 0, 1, 0, 0, 1],
        [1, 0, 1, 1, 0, 0],
      ],
    ]);

    // One bar chart per course: its Category rows (Participants, Completed, Certified), not its Total.
    const certificates = ss.getSheetByName('Certificates by course')!;
    expect(certificates.charts.map((c) => [c.spec.type, c.getOptions().get('title')])).toEqual([
      ['BAR', format(CATALOGS.en['chart.certificates'], { course: 'English for STEM' })],
      ['BAR', format(CATALOGS.en['chart.certificates'], { course: 'English for Media Literacy' })],
    ]);
    const media = certificates.charts[1].spec;
    expect(media.ranges.map((r) => r.getValues())).toEqual([
      [['other'], ['pre-service student'], ['school teacher'], ['university teacher']],
      [
        [2, 0, 0],
        [1, 0, 0],
        [1, 1, 1],
        [2, 2, 1],
      ],
    ]);
    expect(media.options.series).toEqual({
      0: { labelInLegend: 'Participants' },
      1: { labelInLegend: 'Completed' },
      2: { labelInLegend: 'Certified' },
    });
    // Refresh summaries brings the derived cells up to date like every command that writes.
    const people = ss.getSheetByName('Participants')!.dump();
    expect(people.find((r) => r[0] === 'xss@uni.kz')![people[0].indexOf('CEFR level')]).toBe('B1');
  });

  test('Refresh summaries without facilitated data draws no facilitated chart and writes no chart data', () => {
    const ss = seeded();
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
    load(world).menuRefreshSummaries();
    expect(world.alerts).toEqual([]);
    for (const tab of ['Levels by group', 'Certificates by course']) {
      expect(ss.getSheetByName(tab)!.charts).toEqual([]);
      expect(ss.getSheetByName(tab)!.dump()).toHaveLength(1); // the header Set up made, nothing more
    }
    expect(ss.getSheetByName('Summary by school')!.charts).toHaveLength(2);
  });

  test('the facilitated charts speak the workbook language; a Groups cell the rules cannot read is told, the summaries still refresh', () => {
    const ss = seeded({ language: 'ru', facilitated: true });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN, locale: 'ru_RU' });
    const context = load(world);
    context.menuSetUp(); // the tabs in Russian
    context.menuRefreshSummaries();
    expect(world.alerts).toEqual([]);
    // The dean's charts too: their columns are found by the header as the sheet shows it.
    expect(ss.getSheetByName('Сводка по школам')!.charts.map((c) => c.spec.type)).toEqual(['BAR', 'HISTOGRAM']);
    const levels = ss.getSheetByName('Уровни по группам')!;
    expect(levels.charts[0].getOptions().get('title')).toBe(CATALOGS.ru['chart.levels']);
    expect(levels.charts[0].spec.ranges[0].getValues()[0]).toEqual(['Группа']);
    const certificates = ss.getSheetByName('Сертификаты по курсам')!;
    expect(certificates.charts[1].spec.ranges[0].getValues().map((r) => r[0])).toContain('школьный учитель');
    expect(certificates.charts[1].getOptions().get('series')).toEqual({
      0: { labelInLegend: 'Участники' },
      1: { labelInLegend: 'Завершено' },
      2: { labelInLegend: 'С сертификатом' },
    });

    const groups = ss.getSheetByName('Группы')!;
    const start = (groups.dump()[0] as string[]).indexOf('Начало') + 1;
    groups.getRange(2, start, 1, 1).setValues([['soon']]);
    context.menuRefreshSummaries();
    expect(world.alerts).toHaveLength(1);
    expect(world.alerts[0]).toContain(CATALOGS.ru['msg.facilitatedProblem'].split(':')[0]);
    expect(world.alerts[0]).toContain('row 2');
    expect(ss.toasts.at(-1)).toMatch(/^Сводки обновлены/);
  });

  test('the attendance sidebar opens in the user language and its server functions answer through the stubs', () => {
    const ss = seeded({ language: 'kk', facilitated: true });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: FACILITATOR });
    const context = load(world);
    context.menuAttendance();
    expect(world.sidebars[0].title).toBe(CATALOGS.kk['sidebar.attendance.title']);
    expect(world.sidebars[0].content).toContain('"lang":"kk"');
    const view = context.getAttendanceView({});
    expect(view).toMatchObject({ ok: true, value: { group: 'Almaty-1', session: 'ALA-W4' } });
    const emails = view.value.participants.map((p: { email: string }) => p.email);
    const saved = context.saveAttendance({
      session: 'ALA-W4',
      marks: emails.map((email: string) => ({ email, present: true })),
    });
    expect(saved).toMatchObject({ ok: true, value: { present: 3, excused: 1, updated: 3 } });
    // A Zoom report through Utilities' blobs and the bundled csv-parse, as Apps Script runs it.
    const zoom = fs.readFileSync(path.join(__dirname, '..', '..', 'worker/test/fixtures/attendance/zoom-week3.csv'));
    const imported = context.importAttendance({ session: 'ALA-W3', name: 'zoom.csv', base64: zoom.toString('base64') });
    expect(imported).toMatchObject({ ok: true, value: { format: 'Zoom', present: 2, absent: 2, updated: 4 } });
    expect(world.lock.held).toBe(false);
    world.user = LAW_MENTOR;
    expect(context.saveAttendance({ session: 'ALA-W4', marks: [] })).toMatchObject({
      ok: false,
      code: 'NOT_FACILITATOR',
    });
  });

  test('Refresh summaries in a Kazakh workbook draws the same three charts, its columns found by their Kazakh headers', async () => {
    const ss = seeded({ language: 'kk' });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: ADMIN });
    const context = load(world);
    context.menuSetUp(); // the tabs, headers and labels in Kazakh
    // A History as the sync writes it in a kk workbook (its Total rows read "Барлығы").
    const wb = localized(new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() }));
    await wb.read([HISTORY_TAB.name]);
    const point = (date: string, school: string, rate: number) => [date, school, 10, 1, 1, rate, 2, 0.2, 0, 0];
    await wb.apply({
      tabs: [
        {
          tab: HISTORY_TAB.name,
          replace: {
            header: headersOf(HISTORY_TAB),
            rows: [
              point('2026-03-01', 'Total', 0.1),
              point('2026-04-01', 'Total', 0.4),
              point('2026-03-01', 'Law', 0.1),
            ],
          },
        },
      ],
    });
    expect(ss.getSheetByName('Жиынтық тарихы')!.dump()[1][1]).toBe('Барлығы');
    context.menuRefreshSummaries();
    const bySchool = ss.getSheetByName('Мектептер бойынша жиынтық')!;
    expect(bySchool.dump()[0]).toContain('Аяқтау үлесі');
    expect(bySchool.charts.map((c) => c.spec.type)).toEqual(['BAR', 'HISTOGRAM', 'LINE']);
    expect(bySchool.charts[2].spec.ranges.map((r) => r.getValues().map((v) => v[0]))[1]).toEqual([0.1, 0.4]);
    expect(bySchool.charts[2].getOptions().get('series')).toEqual({
      0: { labelInLegend: 'Аяқтау үлесі' },
      1: { labelInLegend: 'Төмен белсенділік үлесі' },
    });
  });

  test('the approval sidebar opens with its language and messages, and the server functions answer through the stubs', () => {
    const ss = seeded({ language: 'ru' });
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: LAW_MENTOR });
    const context = load(world);
    context.menuApproval();
    expect(world.sidebars).toHaveLength(1);
    expect(world.sidebars[0].title).toBe(CATALOGS.ru['sidebar.approval.title']);
    expect(world.sidebars[0].content).toContain('"lang":"ru"');

    const view = context.getApprovalView();
    expect(view.user).toBe(LAW_MENTOR);
    expect(view.rows.map((r: { fullName: string }) => r.fullName)).toContain(XSS_NAME);
    const result = context.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }]);
    expect(result.results[0]).toMatchObject({ ok: true, message: CATALOGS.ru['msg.approved'] });
    expect(world.lock.acquisitions).toBeGreaterThan(0);
    expect(world.lock.held).toBe(false);
    const progress = ss.getSheetByName('Progress')!.dump();
    const header = progress[0] as string[];
    const aliya = progress.find((r) => r[0] === 'aliya@student.example.kz')!;
    expect(aliya[header.indexOf('Points')]).toBe(95);
    expect(aliya[header.indexOf('Approved by')]).toBe(LAW_MENTOR);

    // A comment that looks like a formula or a number stays text in the sheet.
    expect(
      context.saveComment({ email: 'boris@student.example.kz', slug: 'law-101', text: '=1+1' }).results[0].ok,
    ).toBe(true);
    expect(context.saveComment({ email: 'xss@student.example.kz', slug: 'law-101', text: '007' }).results[0].ok).toBe(
      true,
    );
    const after = ss.getSheetByName('Progress')!.dump();
    expect(after.find((r) => r[0] === 'boris@student.example.kz')![header.indexOf('Mentor comment')]).toBe('=1+1');
    expect(after.find((r) => r[0] === 'xss@student.example.kz')![header.indexOf('Mentor comment')]).toBe('007');
  });

  test('a user who is not the mentor gets a refusal from the server, whatever the sidebar sends', () => {
    const ss = seeded();
    const world = gasWorld({ distDir: built.dir, spreadsheet: ss, user: 'someone@else.kz' });
    const context = load(world);
    const result = context.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }]);
    expect(result.results[0]).toMatchObject({ ok: false, message: CATALOGS.en['msg.notAllowed'] });
    expect(() => context.runEligibilityCheck()).toThrow(CATALOGS.en['msg.adminsOnly']);
    const header = ss.getSheetByName('Progress')!.dump()[0] as string[];
    expect(ss.getSheetByName('Progress')!.dump()[1][header.indexOf('Approved by')]).toBe('');
  });
});
