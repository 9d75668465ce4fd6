/** The workbook in Settings › Language (kk, ru, en): names, headers and labels, switched in place. */
import { verifyAuditChain } from '../../src/audit-chain';
import type { Cell } from '../../src/cells';
import { checkEligibility } from '../../src/eligibility/check';
import { planApproval } from '../../src/grading/approval';
import { localized, type LocalizedWorkbook } from '../../src/i18n/localized-workbook';
import type { Language } from '../../src/languages';
import { AUDIT_TAB, LAYOUT, PROGRESS_TAB } from '../../src/layout';
import { MemoryWorkbook } from '../../src/memory-workbook';
import { planSync, SYNC_TABS, templatePlan } from '../../src/sync-plan';
import { exportBatch, line } from '../helpers';

const AS_OF = '2026-03-10';

async function init(language: Language): Promise<{ mem: MemoryWorkbook; wb: LocalizedWorkbook }> {
  const mem = new MemoryWorkbook();
  const wb = localized(mem, { language });
  await wb.apply({ tabs: templatePlan(await wb.read(SYNC_TABS), language) });
  return { mem, wb };
}

/** One sync through the decorator, as run-sync does it; returns the plan the backend got. */
async function sync(mem: MemoryWorkbook, lines = defaultLines()) {
  const wb = localized(mem, { relabel: true });
  const { plan } = planSync(await wb.read(SYNC_TABS), exportBatch(lines), { asOf: AS_OF });
  await wb.apply(plan);
  return mem.applied[mem.applied.length - 1];
}

const defaultLines = () => [
  line('done@uni.kz', 'python', {
    'Overall Progress': '90',
    Completed: 'Yes',
    'Completion Time': '2026-03-01T08:00:00Z',
    'Course Grade': '94.5',
  }),
  line('late@uni.kz', 'python', { 'Overall Progress': '0', 'Last Course Activity Time': '' }),
];

/** Sets a cell of a tab (any language's name) by its header as shown. */
function setCell(mem: MemoryWorkbook, tab: string, row: number, header: string, value: string): void {
  const t = mem.tabs.get(tab)!;
  const col = t.header.indexOf(header);
  if (col < 0) throw new Error(`no ${header} in ${tab}: ${t.header.join('|')}`);
  (t.rows[row] ??= [])[col] = value;
}

const settingRow = (mem: MemoryWorkbook, tab: string, setting: string) =>
  mem.tabs.get(tab)!.rows.findIndex((r) => r[0] === setting);

describe("a new workbook in the user's language", () => {
  test('kk: Kazakh tab names, headers, Setting names, pick-lists; Language = kk', async () => {
    const { mem } = await init('kk');
    expect([...mem.tabs.keys()]).toEqual(expect.arrayContaining(['Баптаулар', 'Үлгерім', 'Курстар', 'Аудит']));
    expect(mem.tabs.has('Progress')).toBe(false);
    expect(mem.tabs.get('Үлгерім')!.header).toEqual(expect.arrayContaining(['Мәртебе', 'Балл', 'Тәлімгер пікірі']));
    expect(mem.record('Баптаулар', settingRow(mem, 'Баптаулар', 'Тіл'))).toEqual({ Параметр: 'Тіл', Мәні: 'kk' });
    expect(mem.validations('Курстар')).toEqual([{ kind: 'list', values: ['ішінара', 'толық'], column: 'Модель' }]);
    expect(mem.validations('Студенттер тізімі')).toEqual([
      { kind: 'list', values: ['Белсенді', 'Ауыстырылған', 'Шығып кеткен'], column: 'Тізімдегі мәртебе' },
    ]);
  });

  test('ru: a sync writes Russian statuses, flags, Yes/No and the Total row', async () => {
    const { mem } = await init('ru');
    await sync(mem);
    const done = mem.record('Успеваемость', 0);
    expect(done['Статус']).toBe('Готово к утверждению');
    expect(done['Завершено']).toBe('Да');
    const late = mem.record('Успеваемость', 1);
    expect(late['Статус']).toBe('Не начат');
    expect(late['Отметки']).toBe('не начат');
    const summary = mem.tabs.get('Сводка по школам')!;
    expect(summary.rows[summary.rows.length - 1][0]).toBe('Итого');
    expect(mem.tabs.get('Успеваемость')!.formats).toContainEqual({
      kind: 'textColor',
      column: 'Статус',
      equals: 'Требует проверки',
      color: 'red',
    });
    // Nothing changed: nothing is written again (read back canonical, compared canonical).
    const again = await sync(mem);
    expect(again.tabs.filter((t) => t.updates?.length || t.replace || t.headerUpdates || t.renameFrom)).toEqual([]);
  });
});

describe('switching Settings › Language', () => {
  test("en → kk renames tabs, headers and the sync's labels in place; humans' cells, approvals and the audit survive", async () => {
    const { mem } = await init('en');
    setCell(mem, 'Settings', settingRow(mem, 'Settings', 'Admins'), 'Value', 'admin@uni.kz');
    await sync(mem);
    const wb = localized(mem);
    const { plan } = planApproval(
      await wb.read(SYNC_TABS),
      { email: 'done@uni.kz', course: 'python' },
      'admin@uni.kz',
      Date.parse('2026-03-05T10:00:00Z'),
    );
    await wb.apply(plan);
    setCell(mem, 'Progress', 0, 'Mentor comment', 'молодец');
    const before = mem.record('Progress', 0);
    expect(before.Status).toBe('Approved');

    setCell(mem, 'Settings', settingRow(mem, 'Settings', 'Language'), 'Value', 'kk');
    const written = await sync(mem);
    expect(mem.tabs.has('Progress')).toBe(false);
    expect([...mem.tabs.keys()]).toEqual(LAYOUT.map((t) => ({ en: t.name }).en).map((n) => kkName(n)));
    const after = mem.record('Үлгерім', 0);
    expect(after['Мәртебе']).toBe('Бекітілді');
    expect(after['Балл']).toBe(before.Points);
    expect(after['Әріптік баға']).toBe(before.Letter);
    expect(after['Бекіткен']).toBe(before['Approved by']);
    expect(after['Бекітілген уақыты']).toBe(before['Approved at']);
    expect(after['Тәлімгер пікірі']).toBe('молодец');
    // The human-owned columns are never in the plan.
    const progressPlan = written.tabs.find((t) => t.tab === 'Үлгерім')!;
    const humanCols = ['Points', 'Letter', 'Approved by', 'Approved at', 'Mentor comment'].map((h) =>
      PROGRESS_TAB.columns.findIndex((c) => c.header === h),
    );
    expect(progressPlan.updates!.filter((u) => humanCols.includes(u.col))).toEqual([]);
    expect(mem.record('Баптаулар', settingRow(mem, 'Баптаулар', 'Тіл'))['Мәні']).toBe('kk');

    // The audit row written in English still verifies, read through the decorator as every front end does.
    const audit = (await localized(mem).read([AUDIT_TAB.name]))[AUDIT_TAB.name];
    expect(verifyAuditChain(audit)).toMatchObject({ intact: true, rows: 1 });
    // Still verified: the row stays Approved, and a re-sync is quiet.
    const again = await sync(mem);
    expect(again.tabs.filter((t) => t.updates?.length || t.renameFrom || t.headerUpdates)).toEqual([]);
  });

  test('en → kk: the colours and pick-lists look for the Kazakh texts the sync now writes, the summaries fit the Kazakh headers; a re-sync sends them no more', async () => {
    const { mem } = await init('en');
    await sync(mem);
    setCell(mem, 'Settings', settingRow(mem, 'Settings', 'Language'), 'Value', 'kk');
    const written = await sync(mem);
    const progress = mem.tabs.get('Үлгерім')!;
    expect(mem.record('Үлгерім', 1)['Мәртебе']).toBe('Басталмаған');
    // Every colour rule names a text the workbook shows; none still looks for the English one.
    expect(progress.formats).toContainEqual({
      kind: 'textColor',
      column: 'Мәртебе',
      equals: 'Тексеруді қажет етеді',
      color: 'red',
    });
    expect(progress.formats).toContainEqual({
      kind: 'textColor',
      column: 'Белгілер',
      equals: 'бастамаған',
      color: 'grey',
    });
    expect(progress.formats.filter((f) => f.kind === 'textColor' && /^[A-Z_ a-z]+$/.test(f.equals))).toEqual([]);
    // Tabs the sync does not write are switched too: Candidates' colours, every pick-list.
    expect(mem.tabs.get('Үміткерлер')!.formats.map((f) => (f.kind === 'textColor' ? f.equals : f.kind))).toEqual([
      'Рұқсат етілген',
      'Ықтимал сәйкестік',
    ]);
    expect(mem.validations('Курстар')).toEqual([{ kind: 'list', values: ['ішінара', 'толық'], column: 'Модель' }]);
    expect(mem.validations('Студенттер тізімі')[0]).toMatchObject({
      values: ['Белсенді', 'Ауыстырылған', 'Шығып кеткен'],
    });
    expect(mem.validations('Қатысу')[0]).toMatchObject({ values: ['қатысты', 'қатыспады', 'дәлелді себеппен'] });
    // A summary's look is ours: its widths fit the Kazakh headers' words (no "Сертификатта/р").
    expect(mem.look('Мектептер бойынша жиынтық').widths['Сертификаттар']).toBeGreaterThanOrEqual(
      'Сертификаттар'.length + 2,
    );
    expect(written.tabs.filter((t) => t.formats || t.validations).map((t) => t.tab)).toEqual(
      expect.arrayContaining(['Үлгерім', 'Үміткерлер', 'Курстар', 'Студенттер тізімі', 'Топтар', 'Қатысушылар']),
    );
    // Once switched, a re-sync leaves the rules alone.
    const again = await sync(mem);
    expect(again.tabs.filter((t) => !t.replace && (t.formats || t.validations || t.look))).toEqual([]);
  });

  test("Summary history's Total and (not set) rows speak the workbook's language and are rewritten on a switch", async () => {
    const { mem } = await init('kk');
    await sync(mem);
    const schools = () => mem.tabs.get('Жиынтық тарихы')!.rows.map((r) => r[1]);
    expect(schools()).toEqual(['Барлығы', '(көрсетілмеген)']);
    // Read back canonical: a second sync the same day finds the same rows and writes nothing there.
    const again = await sync(mem);
    expect(again.tabs.find((t) => t.tab === 'Жиынтық тарихы')).toBeUndefined();
    setCell(mem, 'Баптаулар', settingRow(mem, 'Баптаулар', 'Тіл'), 'Мәні', 'ru');
    await sync(mem);
    expect(mem.tabs.get('История сводки')!.rows.map((r) => r[1])).toEqual(['Итого', '(не указано)']);
  });

  test('kk → en puts the English names back; an audit row written in Kazakh still verifies', async () => {
    const { mem } = await init('kk');
    setCell(mem, 'Баптаулар', settingRow(mem, 'Баптаулар', 'Әкімшілер'), 'Мәні', 'admin@uni.kz');
    await sync(mem);
    const wb = localized(mem);
    await wb.apply(
      planApproval(
        await wb.read(SYNC_TABS),
        { email: 'done@uni.kz', course: 'python' },
        'admin@uni.kz',
        Date.parse('2026-03-05T10:00:00Z'),
      ).plan,
    );
    expect(mem.record('Аудит', 0)['Әрекет']).toBe('Бекіту');
    setCell(mem, 'Баптаулар', settingRow(mem, 'Баптаулар', 'Тіл'), 'Мәні', 'en');
    await sync(mem);
    expect([...mem.tabs.keys()]).toEqual(LAYOUT.map((t) => t.name));
    expect(mem.record('Progress', 0).Status).toBe('Approved');
    expect(mem.record('Audit', 0).Action).toBe('Бекіту'); // a log row stays as written …
    const audit = (await localized(mem).read([AUDIT_TAB.name]))[AUDIT_TAB.name];
    expect(verifyAuditChain(audit).intact).toBe(true); // … and verifies
  });
});

describe('an English workbook', () => {
  test('keeps working unchanged: same plan as without the decorator, nothing renamed', async () => {
    const plain = new MemoryWorkbook();
    plain.apply({ tabs: templatePlan({}) });
    const decorated = new MemoryWorkbook();
    decorated.apply({ tabs: templatePlan({}) });
    const direct = planSync(plain.read(SYNC_TABS), exportBatch(defaultLines()), { asOf: AS_OF }).plan;
    plain.apply(direct);
    const via = await sync(decorated);
    expect(via).toEqual(direct);
    expect([...decorated.tabs]).toEqual([...plain.tabs]);
  });
});

describe('values typed in another language', () => {
  test('a Russian Model in a kk workbook is understood', async () => {
    const { mem } = await init('kk');
    const courses = mem.tabs.get('Курстар')!;
    courses.rows.push(['python', 'Python', 'CS', 'полная', 'm@uni.kz', '2026-03-05', 5]);
    await sync(mem);
    const progress = mem.tabs.get('Үлгерім')!;
    const late = mem.record('Үлгерім', 1);
    expect(mem.record('Үлгерім', 0)['Модель']).toBe('толық');
    expect(late['Белгілер']).toBe('белсенділік төмен, мерзімі өткен, бастамаған');
    expect(late['Мәртебе']).toBe('Мерзімі өткен');
    expect(progress.rows).toHaveLength(2);
    // The human's own cells stay as typed.
    expect(courses.rows[0][3]).toBe('полная');
  });

  test('a School status typed in Russian in a kk workbook: the check says EXPELLED, in Kazakh, with a Kazakh detail', async () => {
    const { mem } = await init('kk');
    const candidates = mem.tabs.get('Үміткерлер')!;
    const row = (status: string, iin: string) => {
      const r: Cell[] = candidates.header.map(() => null);
      const put = (h: string, v: string) => (r[candidates.header.indexOf(h)] = v);
      put('Мектеп', 'SITE');
      put('Студент ID', iin.slice(-3));
      put('ЖСН', iin);
      put('Аты-жөні', 'Асқар Омаров');
      put('E-mail', `s${iin.slice(-3)}@uni.kz`);
      put('Оқу мәртебесі', status);
      return r;
    };
    candidates.rows.push(row('Отчислен', '760212350620'), row('Active', '800416300257'));
    const wb = localized(mem);
    await wb.apply(checkEligibility(await wb.read(LAYOUT.map((t) => t.name)), { now: Date.parse(AS_OF) }).plan);
    const at = (r: number, h: string) => candidates.rows[r][candidates.header.indexOf(h)];
    expect(at(0, 'Рұқсат')).toBe('Оқудан шығарылған');
    expect(at(0, 'Рұқсат түсіндірмесі')).toBe('Оқу мәртебесі: Оқудан шығарылған');
    expect(at(0, 'Оқу мәртебесі')).toBe('Отчислен'); // typed by a human: kept
    // Re-running the check on the Kazakh texts writes nothing: they read back as the same verdicts.
    const again = checkEligibility(await localized(mem).read(LAYOUT.map((t) => t.name)), {
      now: Date.parse(AS_OF) + 1,
    });
    expect(again.result.cellsWritten).toBe(0);
  });
});

describe('facilitated tabs in a kk workbook', () => {
  /** Appends a row to a tab by the headers it shows. */
  function addRow(mem: MemoryWorkbook, tab: string, cells: Record<string, Cell>): void {
    const t = mem.tabs.get(tab)!;
    for (const h of Object.keys(cells))
      if (!t.header.includes(h)) throw new Error(`no ${h} in ${tab}: ${t.header.join('|')}`);
    t.rows.push(t.header.map((h) => cells[h] ?? null));
  }

  /** A group that ended before AS_OF; Kazakh pick-list values in Participants, marks typed in Russian. */
  async function facilitatedWorkbook() {
    const { mem } = await init('kk');
    addRow(mem, 'Топтар', {
      Топ: 'ALA-1',
      Формат: 'онлайн',
      Курстар: 'python',
      Басталуы: '2026-01-10',
      Аяқталуы: '2026-03-01',
    });
    const participant = (email: string, status: string, score: Cell) =>
      addRow(mem, 'Қатысушылар', {
        'E-mail': email,
        Топ: 'ALA-1',
        Санат: 'мектеп мұғалімі',
        Сала: 'ағылшын тілі',
        'EF SET балы': score,
        'Өтінім мәртебесі': status,
      });
    participant('done@uni.kz', 'іріктелген', 55); // misses a session
    participant('late@uni.kz', 'Іріктелген', 75); // attends all, has not completed the course
    participant('applicant@uni.kz', 'өтінім берген', 120); // not selected: no attendance flags, not counted
    for (const id of ['S1', 'S2', 'S3']) addRow(mem, 'Сабақтар', { 'Сабақ ID': id, Топ: 'ALA-1', Формат: 'очный' });
    const mark = (id: string, email: string, value: string) =>
      addRow(mem, 'Қатысу', { 'Сабақ ID': id, 'E-mail': email, 'Қатысу белгісі': value });
    mark('S1', 'done@uni.kz', 'присутствовал');
    mark('S2', 'done@uni.kz', 'отсутствовал');
    mark('S3', 'done@uni.kz', 'уважительная причина');
    for (const id of ['S1', 'S2', 'S3']) mark(id, 'late@uni.kz', 'Присутствовал');
    return mem;
  }

  test('values typed in Kazakh and Russian are read: attendance rate, absences and flags come out right, written in Kazakh', async () => {
    const mem = await facilitatedWorkbook();
    await sync(mem);
    const [done, late, applicant] = [0, 1, 2].map((r) => mem.record('Қатысушылар', r));
    expect([done['Қатысу %'], done['Жіберілген сабақтар'], done['Белгілер']]).toEqual([
      50,
      1,
      'сабақ жіберу шектен асқан',
    ]);
    expect(done['CEFR деңгейі']).toBe('B2');
    expect([late['Қатысу %'], late['Жіберілген сабақтар'], late['Белгілер']]).toEqual([
      100,
      0,
      'жоғары қатысуға қарамастан курс аяқталмаған',
    ]);
    expect(applicant['Белгілер']).toBe('EF SET балы қате');
    expect(mem.record('Топтар', 0)).toMatchObject({ Қатысушылар: 2, Белгілер: 'қатысушылар жеткіліксіз' });
    // What people typed stays as typed.
    expect(mem.record('Қатысу', 1)['Қатысу белгісі']).toBe('отсутствовал');
    expect(done['Өтінім мәртебесі']).toBe('іріктелген');
    // The Kazakh flags read back as the same flags: a second sync writes nothing in these tabs.
    const again = await sync(mem);
    expect(again.tabs.filter((t) => ['Қатысушылар', 'Топтар'].includes(t.tab) && t.updates?.length)).toEqual([]);
  });

  test('flag colours of Participants and Groups match the Kazakh flags', async () => {
    const { mem } = await init('kk');
    expect(mem.tabs.get('Қатысушылар')!.formats).toContainEqual({
      kind: 'textColor',
      column: 'Белгілер',
      equals: 'сабақ жіберу шектен асқан',
      color: 'red',
    });
    expect(mem.tabs.get('Топтар')!.formats).toEqual([
      { kind: 'textColor', column: 'Белгілер', equals: 'қатысушылар жеткіліксіз', color: 'red' },
    ]);
  });

  test('pick-lists are offered in Kazakh', async () => {
    const { mem } = await init('kk');
    expect(mem.validations('Қатысушылар').filter((v) => v.kind === 'list')).toEqual([
      {
        kind: 'list',
        column: 'Санат',
        values: ['мектеп мұғалімі', 'ЖОО оқытушысы', 'болашақ педагог (студент)', 'басқа'],
      },
      { kind: 'list', column: 'Сала', values: ['STEM', 'ағылшын тілі', 'гуманитарлық ғылымдар', 'өнер', 'басқа'] },
      { kind: 'list', column: 'Өтінім мәртебесі', values: ['өтінім берген', 'іріктелген', 'шығып кеткен'] },
    ]);
    expect(mem.validations('Топтар')[0]).toEqual({
      kind: 'list',
      column: 'Формат',
      values: ['бетпе-бет', 'онлайн', 'аралас'],
    });
    expect(mem.validations('Қатысу')).toEqual([
      { kind: 'list', column: 'Қатысу белгісі', values: ['қатысты', 'қатыспады', 'дәлелді себеппен'] },
    ]);
  });
});

function kkName(en: string): string {
  return (
    {
      Settings: 'Баптаулар',
      Roster: 'Студенттер тізімі',
      Courses: 'Курстар',
      Progress: 'Үлгерім',
      'Summary by school': 'Мектептер бойынша жиынтық',
      'Summary by course': 'Курстар бойынша жиынтық',
      'Summary by mentor': 'Тәлімгерлер бойынша жиынтық',
      'Summary by group': 'Топтар бойынша жиынтық',
      'Summary by discipline': 'Пәндер бойынша жиынтық',
      'Summary history': 'Жиынтық тарихы',
      'Sync log': 'Синхрондау журналы',
      'Rejected rows': 'Қабылданбаған жолдар',
      Candidates: 'Үміткерлер',
      'Participants history': 'Қатысушылар тарихы',
      'Grade scale': 'Бағалау шкаласы',
      Audit: 'Аудит',
      Groups: 'Топтар',
      Participants: 'Қатысушылар',
      Sessions: 'Сабақтар',
      Attendance: 'Қатысу',
      'Levels by group': 'Топтар бойынша деңгейлер',
      'Certificates by course': 'Курстар бойынша сертификаттар',
    } as Record<string, string>
  )[en];
}
