/**
 * Issue 9, "approvals a registrar can trust": each finding on the old main as a test. The rows are
 * made by the sync from export lines, so readiness comes from the facts, never a typed Status.
 */
import { planApproval, planRevoke, type ApprovalRequest } from '../../src/grading/approval';
import { listApprovalQueue } from '../../src/grading/approval-queue';
import { recognitionReport } from '../../src/enrollment/recognition';
import type { MemoryWorkbook } from '../../src/memory-workbook';
import { buildSummaries } from '../../src/summary';
import { planSync, SYNC_TABS } from '../../src/sync-plan';
import { exportBatch, HEADER_2020, line, type LineInput } from '../helpers';
import { NOW, pythonCourseWorkbook, records, refused } from '../eligibility/fixtures';

const WITH_CERT = [...HEADER_2020, 'Course Certificate URL'];
const URL = 'https://coursera.org/verify/ABC';
const REASON = 'Coursera support ticket 4711 confirms the certificate is being issued';

const workbook = (): MemoryWorkbook => pythonCourseWorkbook({ Deadline: '2026-05-31' });

const done = (over: LineInput = {}): LineInput => ({
  Completed: 'Yes',
  'Completion Time': '2026-02-20T10:00:00.000Z',
  'Course Grade': '94.5',
  'Course Certificate URL': URL,
  ...over,
});
const LINES = [
  line('ready@uni.kz', 'python', done()),
  line('review@uni.kz', 'python', done({ 'Overall Progress': '40', 'Course Grade': '88' })),
  line('nocert@uni.kz', 'python', done({ 'Course Certificate URL': '' })),
  line('progress@uni.kz', 'python', { 'Overall Progress': '35', 'Course Grade': '20' }),
];

function sync(wb: MemoryWorkbook, lines: LineInput[] = LINES, header = WITH_CERT, asOf = NOW) {
  wb.apply(planSync(wb.read(SYNC_TABS), exportBatch(lines, header), { asOf }).plan);
}
const snap = (wb: MemoryWorkbook) => wb.read(SYNC_TABS);
const row = (wb: MemoryWorkbook, email: string) => records(wb, 'Progress').find((r) => r.Email === email)!;
const approve = (wb: MemoryWorkbook, req: Partial<ApprovalRequest>, by = 'mentor@uni.kz') => {
  const { plan, result } = planApproval(snap(wb), { email: 'ready@uni.kz', course: 'python', ...req }, by, NOW);
  wb.apply(plan);
  return result;
};
const revoke = (wb: MemoryWorkbook, email = 'ready@uni.kz') =>
  wb.apply(
    planRevoke(
      snap(wb),
      { email, course: 'python', reason: 'grade entered on the wrong learner' },
      'mentor@uni.kz',
      NOW,
    ).plan,
  );
const setCells = (wb: MemoryWorkbook, email: string, cells: Record<string, string | number>) => {
  const t = wb.tabs.get('Progress')!;
  const r = t.rows.find((x) => x[t.header.indexOf('Email')] === email)!;
  for (const [h, v] of Object.entries(cells)) r[t.header.indexOf(h)] = v;
};
/** Approval cells typed in by hand: no approve command, no Audit entry behind them. */
const TYPED_APPROVAL = { Points: 100, Letter: 'A', 'Approved by': 'someone', 'Approved at': '2026-03-01 10:00' };
const mentorSummary = (wb: MemoryWorkbook) => {
  const s = buildSummaries(wb.tabs.get('Progress') && { name: 'Progress', ...wb.tabs.get('Progress')! }).find(
    (t) => t.tab.name === 'Summary by mentor',
  )!;
  return Object.fromEntries(s.header.map((h, i) => [h, s.rows[0][i]]));
};

describe('issue 9 findings', () => {
  test('finding 1: a name typed into Approved by is not an approval: flagged UNVERIFIED_APPROVAL, Needs review, left out of the report', () => {
    const wb = workbook();
    sync(wb);
    setCells(wb, 'review@uni.kz', TYPED_APPROVAL);
    sync(wb);
    expect(row(wb, 'review@uni.kz')).toMatchObject({
      Status: 'Needs review',
      Flags: 'LOW_ENGAGEMENT, UNVERIFIED_APPROVAL',
    });
    const report = recognitionReport(snap(wb));
    expect(report.rows).toEqual([]);
    expect(report.unverified.rows.map((r) => r[report.unverified.header.indexOf('Email')])).toEqual(['review@uni.kz']);
  });

  test('finding 1: an admin adopts an unverified row only through approve (override rules when it is not ready); a ready one the mentor approves', () => {
    const wb = workbook();
    sync(wb);
    setCells(wb, 'review@uni.kz', TYPED_APPROVAL);
    setCells(wb, 'ready@uni.kz', { 'Approved by': 'someone' });
    sync(wb);
    expect(refused(() => approve(wb, { email: 'review@uni.kz' }))).toMatchObject({ code: 'NOT_READY' });
    approve(wb, { email: 'review@uni.kz', points: 80, override: REASON, overrideCode: 'other' }, 'admin@uni.kz');
    expect(approve(wb, {})).toMatchObject({ override: false, approvedBy: 'mentor@uni.kz' });
    expect(records(wb, 'Audit')[0].Before).toContain('Approved by=someone');
    sync(wb);
    expect(row(wb, 'review@uni.kz')).toMatchObject({ Status: 'Approved', Flags: 'LOW_ENGAGEMENT', Points: 80 });
    expect(row(wb, 'ready@uni.kz')).toMatchObject({ Status: 'Approved', Flags: '' });
    const report = recognitionReport(snap(wb));
    expect(report.rows).toHaveLength(2);
    expect(report.unverified.rows).toEqual([]);
  });

  test('finding 2: approve → revoke → approve works at once, also with a sync in between', () => {
    const wb = workbook();
    sync(wb);
    approve(wb, {});
    sync(wb);
    revoke(wb);
    expect(row(wb, 'ready@uni.kz')).toMatchObject({ Status: 'Ready for approval', 'Approved by': null });
    expect(approve(wb, { points: 90 })).toMatchObject({ points: 90, override: false });
    expect(row(wb, 'ready@uni.kz')).toMatchObject({ Status: 'Approved', Points: 90 });
  });

  test('finding 3: after approve the row reads Approved at once, and the summaries count it once', () => {
    const wb = workbook();
    sync(wb);
    approve(wb, {});
    expect(row(wb, 'ready@uni.kz')).toMatchObject({ Status: 'Approved', 'Approved by': 'mentor@uni.kz' });
    expect(mentorSummary(wb)).toMatchObject({ 'Ready for approval': 0, Approved: 1 });
    revoke(wb);
    expect(row(wb, 'ready@uni.kz').Status).toBe('Ready for approval');
    expect(mentorSummary(wb)).toMatchObject({ 'Ready for approval': 1, Approved: 0 });
  });

  test('finding 4: Certificate is a stored fact; a row the next export omits keeps it; summaries count certificates', () => {
    const wb = workbook();
    sync(wb);
    expect(row(wb, 'nocert@uni.kz')).toMatchObject({ Completed: 'Yes', Certificate: 'No', Status: 'In progress' });
    expect(row(wb, 'ready@uni.kz')).toMatchObject({ Certificate: 'Yes', Status: 'Ready for approval' });
    sync(wb, [LINES[0]]);
    expect(row(wb, 'nocert@uni.kz')).toMatchObject({ Certificate: 'No', Status: 'In progress' });
    expect(mentorSummary(wb)).toMatchObject({ Completed: 3, Certificates: 2 });
    expect(
      listApprovalQueue(snap(wb), 'admin@uni.kz', { includeNotReady: true }).find((i) => i.email === 'nocert@uni.kz'),
    ).toMatchObject({ ready: false, certificate: false });
  });

  test('finding 4: an export without the certificate column leaves Certificate blank, and there Completed = Yes counts', () => {
    const wb = workbook();
    sync(
      wb,
      [line('old@uni.kz', 'python', { Completed: 'Yes', 'Completion Time': '2026-02-20T10:00:00.000Z' })],
      HEADER_2020,
    );
    expect(row(wb, 'old@uni.kz')).toMatchObject({ Certificate: null, Status: 'Ready for approval' });
    sync(wb, [], HEADER_2020);
    expect(row(wb, 'old@uni.kz')).toMatchObject({ Certificate: null, Status: 'Ready for approval' });
  });

  test('finding 6: an override needs a completed or certified row, a reason code and 10–500 characters', () => {
    const wb = workbook();
    sync(wb);
    const over = (email: string, override: string | undefined, overrideCode: string | undefined = 'other') =>
      refused(() => approve(wb, { email, points: 100, override, overrideCode }, 'admin@uni.kz'));
    expect(over('progress@uni.kz', 'x')).toMatchObject({ code: 'OVERRIDE_NOT_COMPLETED' });
    expect(over('progress@uni.kz', REASON)).toMatchObject({ code: 'OVERRIDE_NOT_COMPLETED' });
    expect(over('review@uni.kz', 'x'.repeat(6600))).toMatchObject({ code: 'REASON_TOO_LONG' });
    expect(over('review@uni.kz', 'too short')).toMatchObject({ code: 'REASON_TOO_SHORT' });
    expect(over('review@uni.kz', '   ')).toMatchObject({
      code: 'NO_REASON',
      message: 'a reason is required: say why this row is approved although it is not ready',
    });
    expect(over('review@uni.kz', REASON, '')).toMatchObject({ code: 'NO_OVERRIDE_CODE' });
    expect(over('review@uni.kz', REASON, 'because')).toMatchObject({ code: 'BAD_OVERRIDE_CODE' });
    expect(records(wb, 'Audit')).toEqual([]);
    expect(
      approve(wb, { email: 'review@uni.kz', override: REASON, overrideCode: 'certificate-delayed' }, 'admin@uni.kz'),
    ).toMatchObject({ override: true });
    expect(row(wb, 'review@uni.kz')).toMatchObject({ Status: 'Approved', 'Approved by': 'admin@uni.kz (override)' });
    expect(records(wb, 'Audit')[0]).toMatchObject({
      Action: 'Approve (override)',
      Reason: `certificate-delayed: ${REASON}`,
    });
    const report = recognitionReport(snap(wb));
    expect(report.rows[0][report.header.indexOf('Override')]).toBe(`certificate delayed by Coursera: ${REASON}`);
  });

  test('finding 8: a typed Status is not readiness; the audit records the status the facts give', () => {
    const wb = workbook();
    sync(wb);
    setCells(wb, 'review@uni.kz', { Status: 'Ready for approval' });
    expect(refused(() => approve(wb, { email: 'review@uni.kz' }))).toMatchObject({ code: 'NOT_READY' });
    approve(
      wb,
      { email: 'review@uni.kz', override: REASON, overrideCode: 'engagement-data-incomplete' },
      'admin@uni.kz',
    );
    expect(records(wb, 'Audit')[0].Before).toContain('Status=Needs review; Flags=LOW_ENGAGEMENT');
  });
});
