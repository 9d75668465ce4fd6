import { MemoryWorkbook } from '../src/memory-workbook';
import { LAYOUT } from '../src/layout';
import { protectionEditors, withProtections } from '../src/protection';
import { templatePlan } from '../src/sync-plan';

function workbook(): MemoryWorkbook {
  const wb = new MemoryWorkbook();
  wb.apply({ tabs: templatePlan({}) });
  const settings = wb.tabs.get('Settings')!;
  settings.rows.find((r) => r[0] === 'Admins')![1] = 'Boss@Uni.kz, not an e-mail';
  wb.tabs
    .get('Courses')!
    .rows.push(
      ['law', 'Law', 'Law', 'full', 'm1@uni.kz; M2@uni.kz', null, 5],
      ['cs', 'CS', 'CS', 'full', 'boss@uni.kz', null, 5],
    );
  return wb;
}
const all = (wb: MemoryWorkbook) => wb.read(LAYOUT.map((t) => t.name));

test('editors: the admins and every course mentor, valid addresses, once each', () => {
  expect(protectionEditors(all(workbook()))).toEqual(['boss@uni.kz', 'm1@uni.kz', 'm2@uni.kz']);
});

test('Audit and Sync log whole, the four approval columns for editors, the sync-owned columns warning-only', () => {
  const wb = workbook();
  wb.apply(withProtections({ tabs: [] }, all(wb)));
  const editors = ['boss@uni.kz', 'm1@uni.kz', 'm2@uni.kz'];
  expect(wb.protections('Audit')).toEqual([
    {
      description: 'MOOC Desk: Audit is an append-only record (admins, mentors and the sync)',
      editors,
      warningOnly: false,
    },
  ]);
  expect(wb.protections('Sync log')).toHaveLength(1);
  const progress = wb.protections('Progress');
  expect(
    progress
      .filter((p) => !p.warningOnly)
      .map((p) => p.column)
      .sort(),
  ).toEqual(['Approved at', 'Approved by', 'Letter', 'Points']);
  expect(progress.filter((p) => p.warningOnly).map((p) => p.column)).toContain('Status');
  expect(progress.some((p) => p.column === 'Mentor comment')).toBe(false);
});

test("onto the plan's own tab plan (a tab it creates too), never a second plan for the same tab", () => {
  const plan = withProtections({ tabs: templatePlan({}) }, {});
  expect(plan.tabs.filter((t) => t.tab === 'Audit')).toHaveLength(1);
  expect(plan.tabs.find((t) => t.tab === 'Audit')).toMatchObject({
    create: expect.anything(),
    protections: [expect.objectContaining({ editors: [] })],
  });
  // A tab the workbook lacks and the plan does not create gets nothing.
  expect(withProtections({ tabs: [] }, {}).tabs).toEqual([]);
});
