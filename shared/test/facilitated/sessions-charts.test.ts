/** The facilitated charts' data: the sessions report's level spread and certificates, and nothing without facilitated data. */
import { localized } from '../../src/i18n/localized-workbook';
import { LAYOUT } from '../../src/layout';
import { MemoryWorkbook } from '../../src/memory-workbook';
import { planSessionsCharts, SESSIONS_CHART_SOURCES } from '../../src/facilitated/sessions-charts';
import { templatePlan } from '../../src/sync-plan';
import { NOW, programmeWorkbook, records } from './programme';

const progress = (email: string, certificate: 'Yes' | 'No') => ({
  Email: email,
  'Course slug': 'media-literacy',
  Completed: 'Yes',
  'Completed at': '2026-04-20 10:00',
  Certificate: certificate,
});

describe('facilitated chart data', () => {
  it('levels per group and participants / completed / certified per course by Category, worked out by hand', () => {
    const wb = programmeWorkbook({ Progress: [progress('a@uni.kz', 'Yes'), progress('b@uni.kz', 'No')] });
    const { plan, charts, problems } = planSessionsCharts(wb.read(SESSIONS_CHART_SOURCES), NOW);
    expect(problems).toEqual([]);
    wb.apply(plan);
    const after = wb.read(['Levels by group', 'Certificates by course', 'Participants']);
    expect(after['Levels by group']!.header).toEqual([
      'Group',
      ...['A1', 'A2', 'B1', 'B2', 'C1', 'C2'],
      'No score',
      'Invalid score',
      'Total',
    ]);
    // Selected participants only (Erlan withdrew): Gani 71 → C2; Aigerim 28 → A1, Bolat 55 → B2, Dana no score.
    expect(after['Levels by group']!.rows).toEqual([
      ['Aktau-1', 0, 0, 0, 0, 0, 1, 0, 0, 1],
      ['Almaty 1', 1, 0, 0, 1, 0, 0, 1, 0, 3],
      ['Total', 1, 0, 0, 1, 0, 1, 1, 0, 4],
    ]);
    // media-literacy: both groups; Aigerim and Bolat completed, only Aigerim's certificate is there. stem: Aktau-1 only.
    expect(after['Certificates by course']!.rows).toEqual([
      ['media-literacy', 'English for Media Literacy', 'other', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'pre-service student', 1, 0, 0],
      ['media-literacy', 'English for Media Literacy', 'school teacher', 2, 2, 1],
      ['media-literacy', 'English for Media Literacy', 'Total', 4, 2, 1],
      ['stem', '', 'other', 1, 0, 0],
      ['stem', '', 'Total', 1, 0, 0],
    ]);
    expect(charts).toEqual({
      groups: 2,
      courses: [
        { slug: 'media-literacy', title: 'English for Media Literacy', firstRow: 2, rows: 3 },
        { slug: 'stem', title: 'stem', firstRow: 6, rows: 1 },
      ],
    });
    // Like every command that writes the workbook, the derived cells come up to date too.
    expect(records(after, 'Participants').map((p) => p['CEFR level'])).toEqual(['A1', 'B2', null, null, 'C2']);
    expect(planSessionsCharts(wb.read(SESSIONS_CHART_SOURCES), NOW).plan.tabs.map((t) => t.tab)).toEqual([
      'Levels by group',
      'Certificates by course',
    ]);
  });

  it('in the workbook’s language: tab names, headers, Total rows and categories (read back as the same data)', async () => {
    const wb = programmeWorkbook();
    wb.apply({ tabs: [{ tab: 'Settings', updates: [{ row: 5, col: 1, value: 'ru' }] }] });
    expect(wb.tabs.get('Settings')!.rows[5][0]).toBe('Language');
    // Set up brings the tabs into Russian; Refresh summaries then writes into them as they are named.
    const setUp = localized(wb, { relabel: true });
    await setUp.read(LAYOUT.map((t) => t.name));
    await setUp.apply({ tabs: [] });
    const ru = localized(wb);
    await ru.apply(planSessionsCharts(await ru.read(SESSIONS_CHART_SOURCES), NOW).plan);
    const levels = wb.tabs.get('Уровни по группам')!;
    expect(levels.header).toEqual([
      'Группа',
      'A1',
      'A2',
      'B1',
      'B2',
      'C1',
      'C2',
      'Нет балла',
      'Неверный балл',
      'Всего',
    ]);
    expect(levels.rows.map((r) => r[0])).toEqual(['Aktau-1', 'Almaty 1', 'Итого']);
    const certificates = wb.tabs.get('Сертификаты по курсам')!;
    expect(certificates.header.slice(2)).toEqual(['Категория', 'Участники', 'Завершено', 'С сертификатом']);
    expect(certificates.rows.map((r) => r[2])).toEqual([
      'другое',
      'будущий педагог (студент)',
      'школьный учитель',
      'Итого',
      'другое',
      'Итого',
    ]);
    const back = await ru.read(['Certificates by course']);
    expect(back['Certificates by course']!.rows.map((r) => r[2])).toContain('school teacher');
  });

  it('nothing without facilitated data: no groups, or no selected participant', () => {
    const empty = new MemoryWorkbook();
    empty.apply({ tabs: templatePlan({}) });
    expect(planSessionsCharts(empty.read(SESSIONS_CHART_SOURCES), NOW)).toEqual({
      plan: { tabs: [] },
      charts: null,
      problems: [],
    });
    expect(planSessionsCharts({}, NOW).charts).toBeNull();
    const applicants = programmeWorkbook();
    const t = applicants.tabs.get('Participants')!;
    const status = t.header.indexOf('Application status');
    for (const r of t.rows) r[status] = 'applied';
    expect(planSessionsCharts(applicants.read(SESSIONS_CHART_SOURCES), NOW).charts).toBeNull();
  });
});
