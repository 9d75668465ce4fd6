import { planApprovals } from '../../src/grading/approval-batch';
import { pythonCourseWorkbook, fill, records, NOW } from '../eligibility/fixtures';

const TABS = ['Settings', 'Courses', 'Progress', 'Grade scale', 'Audit'];

function workbook() {
  const wb = pythonCourseWorkbook();
  const row = (email: string, grade: number) => ({
    Email: email,
    'Full name': email,
    'Course slug': 'python',
    Course: 'Python',
    'Course grade %': grade,
    'Engagement %': 90,
    Completed: 'Yes',
    Certificate: 'Yes',
    Status: 'Ready for approval',
  });
  fill(wb, 'Progress', row('a@uni.kz', 91), row('b@uni.kz', 72));
  return wb;
}

describe('planApprovals', () => {
  test('each approval sees the earlier ones; refusals are outcomes; one merged plan keeps the row anchors', () => {
    const wb = workbook();
    const requests = [
      { email: 'a@uni.kz', course: 'python' },
      { email: 'a@uni.kz', course: 'python' },
      { email: 'b@uni.kz', course: 'python', points: 80 },
    ];
    const { plan, outcomes } = planApprovals(wb.read(TABS), requests, 'mentor@uni.kz', NOW);
    expect(outcomes.map((o) => (o.ok ? o.result.points : o.error.code))).toEqual([91, 'ALREADY_APPROVED', 80]);
    expect(plan.tabs.map((t) => t.tab)).toEqual(['Progress', 'Audit']);
    expect(plan.tabs[0].anchorColumns?.length).toBeGreaterThan(0);
    expect(plan.tabs[1].appends).toHaveLength(2);
    wb.apply(plan);
    expect(records(wb, 'Progress').map((r) => r.Points)).toEqual([91, 80]);
  });

  test('a batch of one is the single approval; all refused is an empty plan', () => {
    const wb = workbook();
    const { plan, outcomes } = planApprovals(
      wb.read(TABS),
      [{ email: 'a@uni.kz', course: 'python' }],
      'someone@uni.kz',
      NOW,
    );
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0].ok ? null : outcomes[0].error.code).toBe('NOT_ALLOWED');
    expect(plan.tabs).toEqual([]);
  });
});
