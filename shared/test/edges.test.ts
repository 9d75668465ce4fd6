/** Issue 10, "nothing lost at the edges": the pure side (each failed on the main of the day). */
import { MemoryWorkbook } from '../src/memory-workbook';
import { COURSES_TAB, headersOf, PROGRESS_TAB, ROSTER_TAB, SETTINGS_TAB } from '../src/layout';
import { planSync, SYNC_TABS } from '../src/sync-plan';
import { TableEdit } from '../src/table-edit';
import { InputError } from '../src/errors';
import { exportBatch, line } from './helpers';

const AS_OF = '2026-06-15';

function seeded(rosterIin: string | number) {
  return new MemoryWorkbook({
    [SETTINGS_TAB.name]: { header: ['Setting', 'Value'], rows: [['Time zone', 'Asia/Almaty']] },
    [ROSTER_TAB.name]: {
      header: headersOf(ROSTER_TAB),
      rows: [['a@uni.kz', 'Айгерім', 12345, rosterIin, 'Law', 'L-1', '2026']],
    },
    [COURSES_TAB.name]: {
      header: headersOf(COURSES_TAB),
      rows: [['law', 'Law', 'Jurisprudence', 'partial', 'm@uni.kz', '2026-05-31', 3]],
    },
  });
}

describe('finding 7: small ones', () => {
  test('an IIN the Roster holds as a number keeps its leading zero in Progress; a numeric Student ID stays as typed', () => {
    const wb = seeded(10203400501);
    wb.apply(planSync(wb.read(SYNC_TABS), exportBatch([line('a@uni.kz', 'law')]), { asOf: AS_OF }).plan);
    expect(wb.record('Progress', 0)).toMatchObject({ IIN: '010203400501', 'Student ID': '12345' });
  });

  test('dates before 2000 (year 0000, Excel serial 1) are refused as invalid values naming the column', () => {
    const batch = exportBatch([
      line('a@uni.kz', 'law', { 'Enrollment Time': '0000-01-01T00:00:00Z' }),
      line('b@uni.kz', 'law', { 'Completion Time': '1899-12-31 10:00' }),
    ]);
    expect(batch.records).toHaveLength(0);
    expect(batch.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, expect.stringMatching(/column H "Enrollment Time": .*year 0000 is before 2000/)],
      [3, expect.stringMatching(/column R "Completion Time": .*year 1899 is before 2000/)],
    ]);
  });

  test('a Progress row copied by hand: reported, counted once in the summaries, only the first row updated', () => {
    const wb = seeded('000101650017');
    wb.apply(
      planSync(wb.read(SYNC_TABS), exportBatch([line('a@uni.kz', 'law'), line('b@uni.kz', 'law')]), { asOf: AS_OF })
        .plan,
    );
    const progress = wb.tabs.get('Progress')!;
    progress.rows.push([...progress.rows[0]]);
    const result = planSync(wb.read(SYNC_TABS), exportBatch([line('a@uni.kz', 'law', { 'Overall Progress': '80' })]), {
      asOf: AS_OF,
    });
    expect(result.stats.duplicateRows).toEqual([{ email: 'a@uni.kz', slug: 'law', rows: [2, 4] }]);
    const progressPlan = result.plan.tabs.find((t) => t.tab === 'Progress')!;
    expect(new Set(progressPlan.updates!.map((u) => u.row))).toEqual(new Set([0]));
    wb.apply(result.plan);
    expect(wb.tabs.get('Summary by school')!.rows.at(-1)!.slice(0, 2)).toEqual(['Total', 2]);
  });
});

describe('finding 3: length caps where workflows write cells', () => {
  test('TableEdit refuses a value longer than the column allows, naming tab, row and column', () => {
    const wb = seeded('000101650017');
    const edit = new TableEdit(ROSTER_TAB, wb.read(['Roster']));
    expect(() => edit.append({ email: 'b@uni.kz', fullName: 'x'.repeat(501) })).toThrow(InputError);
    expect(() => edit.set(0, 'fullName', 'y'.repeat(600))).toThrow(
      /Roster row 2, "Full name": 600 characters, at most 500/,
    );
    expect(() => edit.set(0, 'fullName', 'ok')).not.toThrow();
  });

  test("every text column of the layout that a sync or workflow writes has a cap under Google's 50,000", () => {
    for (const c of PROGRESS_TAB.columns) expect(c.maxLength ?? 0).toBeGreaterThan(0);
    for (const c of PROGRESS_TAB.columns) expect(c.maxLength!).toBeLessThanOrEqual(50_000);
  });
});
