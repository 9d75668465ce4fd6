import { AUDIT_CHAIN_SEED, auditRowHash, verifyAuditChain } from '../../src/audit-chain';
import { ApprovalRefused, InvalidRequest } from '../../src/rule-errors';
import { planApproval, planRevoke, type ApprovalRequest } from '../../src/grading/approval';
import { listApprovalQueue } from '../../src/grading/approval-queue';
import { recognitionReport, RECOGNITION_HEADER } from '../../src/enrollment/recognition';
import type { MemoryWorkbook } from '../../src/memory-workbook';
import { dump, fill, NOW, NOW_TEXT, records, refused, setSetting, templateWorkbook } from '../eligibility/fixtures';

const TABS = ['Settings', 'Courses', 'Progress', 'Grade scale', 'Audit'];

function workbook(): MemoryWorkbook {
  const wb = templateWorkbook();
  setSetting(wb, 'Admins', 'admin@uni.kz');
  fill(
    wb,
    'Courses',
    {
      'Course slug': 'python',
      Course: 'Python for Everybody',
      Discipline: 'Programming',
      Model: 'partial',
      Mentor: 'Mentor@Uni.kz',
      Credits: 5,
    },
    {
      'Course slug': 'data',
      Course: 'Data Science',
      Discipline: 'Statistics',
      Model: 'full',
      Mentor: 'other@uni.kz; second@uni.kz',
      Credits: 3,
    },
  );
  const row = (email: string, name: string, slug: string, status: string, grade: number | null, flags = '') => ({
    Email: email,
    'Full name': name,
    'Student ID': 'S-' + name.length,
    School: 'SITE',
    Group: 'CS-21',
    'Course slug': slug,
    Course: slug === 'python' ? 'Python for Everybody' : 'Data Science',
    // The facts the rules judge (Status is what the sync last wrote; approve never trusts it).
    'Engagement %': status === 'Needs review' ? 40 : status === 'In progress' ? 20 : 80,
    Completed: status === 'In progress' ? 'No' : 'Yes',
    Certificate: status === 'In progress' ? 'No' : 'Yes',
    'Course grade %': grade,
    Flags: flags,
    Status: status,
    'Mentor comment': 'keep this',
  });
  fill(
    wb,
    'Progress',
    row('ready@uni.kz', 'Ready Student', 'python', 'Ready for approval', 94.5), // 0
    row('review@uni.kz', 'Review Student', 'python', 'Needs review', 88, 'LOW_ENGAGEMENT'), // 1
    row('ready@uni.kz', 'Ready Student', 'data', 'Ready for approval', 71.2), // 2
    row('nograde@uni.kz', 'No Grade', 'python', 'Ready for approval', null), // 3
    row('progress@uni.kz', 'In Progress', 'python', 'In progress', 20), // 4
  );
  return wb;
}

const snap = (wb: MemoryWorkbook) => wb.read(TABS);
const approve = (wb: MemoryWorkbook, req: Partial<ApprovalRequest>, by: string) =>
  planApproval(snap(wb), { email: 'ready@uni.kz', course: 'python', ...req }, by, NOW);

describe('approval', () => {
  test('the mentor approves a ready row: Points = grade rounded, Letter from the scale, four cells, the Status, and one audit row', () => {
    const wb = workbook();
    const before = records(wb, 'Progress');
    const { plan, result } = approve(wb, {}, 'mentor@uni.kz');
    expect(plan.tabs.map((t) => t.tab)).toEqual(['Progress', 'Audit']);
    const progress = wb.tabs.get('Progress')!;
    expect(plan.tabs[0].updates!.map((u) => progress.header[u.col]).sort()).toEqual([
      'Approved at',
      'Approved by',
      'Letter',
      'Points',
      'Status',
    ]);
    expect(plan.tabs[0].updates!.every((u) => u.row === 0)).toBe(true);
    wb.apply(plan);
    expect(result).toMatchObject({ points: 95, override: false, approvedBy: 'mentor@uni.kz', approvedAt: NOW_TEXT });
    expect(result.band).toEqual({ letter: 'A', gpa: 4, min: 95, max: 100, traditional: 'Excellent (5)' });
    const after = records(wb, 'Progress');
    expect(after[0]).toEqual({
      ...before[0],
      Points: 95,
      Letter: 'A',
      'Approved by': 'mentor@uni.kz',
      'Approved at': NOW_TEXT,
      Status: 'Approved',
    });
    expect(after.slice(1)).toEqual(before.slice(1));
    expect(records(wb, 'Audit')).toEqual([
      {
        At: NOW_TEXT,
        Who: 'mentor@uni.kz',
        Action: 'Approve',
        Email: 'ready@uni.kz',
        'Course slug': 'python',
        Before: 'Status=Ready for approval; Flags=; Points=; Letter=',
        After: `Points=95; Letter=A; GPA=4; Traditional mark=Excellent (5); Approved by=mentor@uni.kz; Approved at=${NOW_TEXT}`,
        Reason: null,
        // The first row of the chain: SHA-256 of [seed, the eight cells as text].
        Hash: auditRowHash(AUDIT_CHAIN_SEED, [
          NOW_TEXT,
          'mentor@uni.kz',
          'Approve',
          'ready@uni.kz',
          'python',
          'Status=Ready for approval; Flags=; Points=; Letter=',
          `Points=95; Letter=A; GPA=4; Traditional mark=Excellent (5); Approved by=mentor@uni.kz; Approved at=${NOW_TEXT}`,
          '',
        ]),
      },
    ]);
    expect(verifyAuditChain(wb.tabs.get('Audit'))).toMatchObject({ rows: 1, intact: true, trustedRows: 1 });
  });

  test('the mentor may set the points (0–100); one of several mentors of a course may approve', () => {
    const wb = workbook();
    wb.apply(approve(wb, { points: '87' }, 'mentor@uni.kz').plan);
    expect(wb.record('Progress', 0)).toMatchObject({ Points: 87, Letter: 'B+' });
    wb.apply(approve(wb, { course: 'DATA', points: 0 }, 'SECOND@uni.kz').plan);
    expect(wb.record('Progress', 2)).toMatchObject({ Points: 0, Letter: 'F', 'Approved by': 'second@uni.kz' });
  });

  test('an admin approves any course without being its mentor', () => {
    const wb = workbook();
    wb.apply(approve(wb, { course: 'data' }, 'admin@uni.kz').plan);
    expect(wb.record('Progress', 2)).toMatchObject({ Points: 71, Letter: 'C+', 'Approved by': 'admin@uni.kz' });
  });

  test('override: an admin approves a row that is not ready; the row and the audit show it', () => {
    const wb = workbook();
    const { plan, result } = approve(
      wb,
      {
        email: 'review@uni.kz',
        overrideCode: 'engagement-data-incomplete',
        override: 'engagement verified with the proctor log',
      },
      'admin@uni.kz',
    );
    wb.apply(plan);
    expect(result.override).toBe(true);
    expect(wb.record('Progress', 1)).toMatchObject({
      Points: 88,
      Letter: 'B+',
      'Approved by': 'admin@uni.kz (override)',
      Status: 'Approved',
      Flags: 'LOW_ENGAGEMENT',
      'Mentor comment': 'keep this',
    });
    expect(records(wb, 'Audit')[0]).toMatchObject({
      Action: 'Approve (override)',
      Who: 'admin@uni.kz',
      Email: 'review@uni.kz',
      Before: 'Status=Needs review; Flags=LOW_ENGAGEMENT; Points=; Letter=',
      Reason: 'engagement-data-incomplete: engagement verified with the proctor log',
    });
  });

  describe('every refusal says why, and nothing is planned', () => {
    test.each([
      [
        'another course’s mentor',
        { course: 'data' },
        'mentor@uni.kz',
        'NOT_ALLOWED',
        'mentor@uni.kz may not approve ready@uni.kz in "data": the course\'s mentor is other@uni.kz, second@uni.kz, and mentor@uni.kz is not an admin',
      ],
      ['a stranger', {}, 'student@uni.kz', 'NOT_ALLOWED', "the course's mentor is mentor@uni.kz"],
      [
        'a row that is not ready',
        { email: 'review@uni.kz' },
        'mentor@uni.kz',
        'NOT_READY',
        'review@uni.kz in "python" (Progress row 3) is not ready for approval: status is "Needs review" (LOW_ENGAGEMENT). Only an admin may approve it, with an override reason code and a written reason',
      ],
      [
        'an admin without a reason',
        { email: 'progress@uni.kz' },
        'admin@uni.kz',
        'NOT_READY',
        'status is "In progress"',
      ],
      [
        'a mentor trying an override',
        { email: 'review@uni.kz', overrideCode: 'other', override: 'I trust her work' },
        'mentor@uni.kz',
        'OVERRIDE_NOT_ADMIN',
        'an override is for admins only and mentor@uni.kz is not one',
      ],
    ])('%s', (_, req, by, code, message) => {
      const wb = workbook();
      const e = refused(() => approve(wb, req, by));
      expect(e).toBeInstanceOf(ApprovalRefused);
      expect(e.kind).toBe('refused');
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
    });

    test('an approved row is not approved twice', () => {
      const wb = workbook();
      wb.apply(approve(wb, {}, 'mentor@uni.kz').plan);
      const e = refused(() => approve(wb, { points: 50 }, 'admin@uni.kz'));
      expect(e.code).toBe('ALREADY_APPROVED');
      expect(e.message).toBe(
        `ready@uni.kz in "python" (Progress row 2) is already approved by mentor@uni.kz at ${NOW_TEXT}; revoke it first to change it`,
      );
    });
  });

  describe('bad input gets a clear message', () => {
    test.each([
      [{ points: 'abc' }, 'BAD_POINTS', 'points must be a whole number from 0 to 100, not "abc"'],
      [{ points: '101' }, 'BAD_POINTS', 'not 101'],
      [{ points: -5 }, 'BAD_POINTS', 'not -5'],
      [{ points: '94.5' }, 'BAD_POINTS', 'not 94.5'],
      [{ email: 'nobody@uni.kz' }, 'UNKNOWN_EMAIL', 'unknown student "nobody@uni.kz": no Progress row has this e-mail'],
      [{ course: 'cobol' }, 'UNKNOWN_COURSE', 'unknown course "cobol": not in the Courses tab nor in Progress'],
      [{ email: 'review@uni.kz', course: 'data' }, 'NO_ROW', 'review@uni.kz has no Progress row for course "data"'],
      [
        { email: 'nograde@uni.kz' },
        'NO_GRADE',
        'nograde@uni.kz in "python" (Progress row 5) has no usable Course grade % (""): give the points (0–100)',
      ],
      [{ email: 'review@uni.kz', overrideCode: 'other', override: '  ' }, 'NO_REASON', 'a reason is required'],
    ])('%j', (req, code, message) => {
      const wb = workbook();
      const e = refused(() => approve(wb, req, 'admin@uni.kz'));
      expect(e).toBeInstanceOf(InvalidRequest);
      expect(e.code).toBe(code);
      expect(e.message).toContain(message);
    });

    test('the acting person must be an e-mail', () => {
      expect(refused(() => approve(workbook(), {}, 'root')).message).toBe('"root" is not a valid e-mail address');
      expect(refused(() => approve(workbook(), {}, '')).code).toBe('NO_ACTOR');
    });

    test('with points given, a row without a grade can be approved', () => {
      const wb = workbook();
      wb.apply(approve(wb, { email: 'nograde@uni.kz', points: 61 }, 'mentor@uni.kz').plan);
      expect(wb.record('Progress', 3)).toMatchObject({ Points: 61, Letter: 'C-' });
    });
  });
});

describe('revoke', () => {
  test('the mentor revokes with a reason: the four cells are blank again and the audit keeps what they were', () => {
    const wb = workbook();
    wb.apply(approve(wb, {}, 'mentor@uni.kz').plan);
    const { plan } = planRevoke(
      snap(wb),
      { email: 'READY@uni.kz', course: 'python', reason: 'certificate was revoked by Coursera' },
      'mentor@uni.kz',
      NOW + 3_600_000,
    );
    expect(plan.tabs[0].updates).toHaveLength(5); // the four approval cells and Status, Approved → Ready for approval
    wb.apply(plan);
    expect(wb.record('Progress', 0)).toMatchObject({
      Points: null,
      Letter: null,
      'Approved by': null,
      'Approved at': null,
      'Mentor comment': 'keep this',
      Status: 'Ready for approval',
    });
    expect(records(wb, 'Audit')[1]).toEqual({
      At: '2026-03-02 11:30',
      Who: 'mentor@uni.kz',
      Action: 'Revoke',
      Email: 'ready@uni.kz',
      'Course slug': 'python',
      Before: `Points=95; Letter=A; Approved by=mentor@uni.kz; Approved at=${NOW_TEXT}`,
      After: '',
      Reason: 'certificate was revoked by Coursera',
      Hash: auditRowHash(records(wb, 'Audit')[0].Hash as string, [
        '2026-03-02 11:30',
        'mentor@uni.kz',
        'Revoke',
        'ready@uni.kz',
        'python',
        `Points=95; Letter=A; Approved by=mentor@uni.kz; Approved at=${NOW_TEXT}`,
        '',
        'certificate was revoked by Coursera',
      ]),
    });
    // …and it can be approved again.
    wb.apply(approve(wb, { points: 90 }, 'admin@uni.kz').plan);
    expect(wb.record('Progress', 0)).toMatchObject({ Points: 90, Letter: 'A-' });
  });

  test('refusals: not approved, no reason, not the mentor', () => {
    const wb = workbook();
    const revoke = (reason: string, by: string, course = 'python') =>
      planRevoke(snap(wb), { email: 'ready@uni.kz', course, reason }, by, NOW);
    expect(refused(() => revoke('why not', 'mentor@uni.kz')).code).toBe('NOT_APPROVED');
    wb.apply(approve(wb, {}, 'mentor@uni.kz').plan);
    const before = dump(wb);
    expect(refused(() => revoke(' ', 'mentor@uni.kz')).code).toBe('NO_REASON');
    const e = refused(() => revoke('mistake', 'other@uni.kz'));
    expect(e).toBeInstanceOf(ApprovalRefused);
    expect(e.message).toContain('other@uni.kz may not revoke the approval of ready@uni.kz in "python"');
    expect(dump(wb)).toBe(before);
  });
});

describe('approval queue (what the mentor sidebar lists)', () => {
  test('a mentor sees the ready, unapproved rows of their courses with default points and letter', () => {
    const wb = workbook();
    expect(
      listApprovalQueue(snap(wb), 'MENTOR@uni.kz').map((i) => [
        i.email,
        i.courseSlug,
        i.defaultPoints,
        i.defaultLetter,
      ]),
    ).toEqual([
      ['nograde@uni.kz', 'python', null, null],
      ['ready@uni.kz', 'python', 95, 'A'],
    ]);
    wb.apply(approve(wb, {}, 'mentor@uni.kz').plan);
    expect(listApprovalQueue(snap(wb), 'mentor@uni.kz').map((i) => i.email)).toEqual(['nograde@uni.kz']);
    expect(listApprovalQueue(snap(wb), 'other@uni.kz').map((i) => i.courseSlug)).toEqual(['data']);
  });

  test('an admin sees every course and, on request, the rows needing an override', () => {
    const wb = workbook();
    const all = listApprovalQueue(snap(wb), 'admin@uni.kz', { includeNotReady: true });
    expect(all.map((i) => [i.email, i.courseSlug, i.ready])).toEqual([
      ['ready@uni.kz', 'data', true],
      ['nograde@uni.kz', 'python', true],
      ['ready@uni.kz', 'python', true],
      ['progress@uni.kz', 'python', false],
      ['review@uni.kz', 'python', false],
    ]);
    expect(listApprovalQueue(snap(wb), 'nobody@uni.kz')).toEqual([]);
  });
});

describe('recognition report', () => {
  test('approved rows with credits, letter, GPA, traditional mark, mentor and date', () => {
    const wb = workbook();
    wb.apply(approve(wb, {}, 'mentor@uni.kz').plan);
    wb.apply(
      approve(
        wb,
        { email: 'review@uni.kz', overrideCode: 'certificate-delayed', override: 'verified with Coursera support' },
        'admin@uni.kz',
      ).plan,
    );
    const report = recognitionReport(wb.read(['Progress', 'Courses', 'Grade scale', 'Audit']));
    expect(report.header).toEqual([...RECOGNITION_HEADER]);
    expect(report.rows.map((r) => Object.fromEntries(report.header.map((h, i) => [h, r[i]])))).toEqual([
      expect.objectContaining({
        Student: 'Ready Student',
        Discipline: 'Programming',
        Course: 'Python for Everybody',
        Model: 'partial',
        Credits: 5,
        Points: 95,
        Letter: 'A',
        GPA: 4,
        'Traditional mark': 'Excellent (5)',
        Mentor: 'Mentor@Uni.kz',
        'Approved at': NOW_TEXT,
      }),
      expect.objectContaining({
        Student: 'Review Student',
        Points: 88,
        Letter: 'B+',
        GPA: 3.33,
        'Traditional mark': 'Good (4)',
        'Approved by': 'admin@uni.kz (override)',
        Override: 'certificate delayed by Coursera: verified with Coursera support',
      }),
    ]);
    expect(report.rows[0][report.header.indexOf('Override')]).toBeNull();
  });
});
