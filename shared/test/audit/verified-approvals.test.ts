/** A Progress row is approved only when its four cells equal the latest trusted Audit approval. */
import { auditRowHash, lastAuditHash, verifyAuditChain } from '../../src/audit-chain';
import type { Cell } from '../../src/cells';
import { planApproval, planRevoke } from '../../src/grading/approval';
import type { MemoryWorkbook } from '../../src/memory-workbook';
import { progressKey } from '../../src/progress-row';
import {
  approvalVerdict,
  latestApprovals,
  parseApprovalAfter,
  type LatestApproval,
} from '../../src/verified-approvals';
import { fill, NOW, NOW_TEXT, setSetting, templateWorkbook } from '../eligibility/fixtures';

const TABS = ['Settings', 'Courses', 'Progress', 'Grade scale', 'Audit'];
const HOUR = 3_600_000;

function workbook(): MemoryWorkbook {
  const wb = templateWorkbook();
  setSetting(wb, 'Admins', 'admin@uni.kz');
  fill(wb, 'Courses', { 'Course slug': 'python', Course: 'Python for Everybody', Mentor: 'mentor@uni.kz', Credits: 5 });
  const row = (email: string, status: string, grade: number) => ({
    Email: email,
    'Full name': 'Әйгерім Қасымова',
    'Course slug': 'python',
    'Course grade %': grade,
    Status: status,
    // The facts approve judges (the Status cell is not trusted).
    'Engagement %': status === 'Needs review' ? 40 : 90,
    Completed: 'Yes',
    Certificate: 'Yes',
  });
  fill(
    wb,
    'Progress',
    row('ready@uni.kz', 'Ready for approval', 94.5),
    row('review@uni.kz', 'Needs review', 80),
    row('typed@uni.kz', 'Ready for approval', 70),
  );
  return wb;
}

const approve = (
  wb: MemoryWorkbook,
  email: string,
  at: number,
  extra: { points?: Cell; override?: string; by?: string } = {},
) =>
  wb.apply(
    planApproval(
      wb.read(TABS),
      {
        email,
        course: 'python',
        points: extra.points,
        override: extra.override,
        overrideCode: extra.override === undefined ? undefined : 'other',
      },
      extra.by ?? 'mentor@uni.kz',
      at,
    ).plan,
  );
const revoke = (wb: MemoryWorkbook, email: string, at: number) =>
  wb.apply(
    planRevoke(wb.read(TABS), { email, course: 'python', reason: 'certificate withdrawn' }, 'mentor@uni.kz', at).plan,
  );

/** The verdict for Progress row `row` as the sheet holds it now. */
function verdict(wb: MemoryWorkbook, row: number) {
  const r = wb.record('Progress', row);
  const latest = latestApprovals(wb.read(['Audit']).Audit);
  return approvalVerdict(
    { points: r.Points, letter: r.Letter, approvedBy: r['Approved by'], approvedAt: r['Approved at'] },
    latest.get(progressKey(r.Email, r['Course slug'])),
  );
}
const setCell = (wb: MemoryWorkbook, tab: string, row: number, header: string, value: Cell) => {
  const t = wb.tabs.get(tab)!;
  t.rows[row][t.header.indexOf(header)] = value;
};

describe('latestApprovals', () => {
  test('keyed like the sync keys Progress rows; approve, override and revoke; other actions ignored', () => {
    const wb = workbook();
    approve(wb, 'READY@uni.kz', NOW);
    approve(wb, 'review@uni.kz', NOW + HOUR, { by: 'admin@uni.kz', points: 79, override: 'proctored exam passed' });
    revoke(wb, 'ready@uni.kz', NOW + 2 * HOUR);
    const latest = latestApprovals(wb.read(['Audit']).Audit);
    expect(latest.get(progressKey('ready@uni.kz', 'python'))).toEqual({ kind: 'revoked', sheetRow: 4 });
    expect(latest.get(progressKey(' Review@Uni.kz ', 'PYTHON'))).toEqual({
      kind: 'approved',
      points: 79,
      letter: 'B-',
      approvedBy: 'admin@uni.kz (override)',
      approvedAt: '2026-03-02 11:30',
      override: true,
      sheetRow: 3,
    } satisfies LatestApproval);
    expect(latest.size).toBe(2);
    expect(latestApprovals(undefined).size).toBe(0);
  });

  test('After is split only at known keys; an entry from before After carried Approved by/at falls back to Who and At', () => {
    expect(
      parseApprovalAfter(
        'Points=95; Letter=A; GPA=4; Traditional mark=Excellent (5); Approved by=a@b.kz (override); Approved at=2026-03-02 10:30',
      ),
    ).toEqual({
      Points: '95',
      Letter: 'A',
      GPA: '4',
      'Traditional mark': 'Excellent (5)',
      'Approved by': 'a@b.kz (override)',
      'Approved at': '2026-03-02 10:30',
    });
    expect(parseApprovalAfter('Points=95; Letter=A; Traditional mark=5; x=y; Approved at=now')).toMatchObject({
      'Traditional mark': '5; x=y',
      'Approved at': 'now',
    });
    const fields: Cell[] = [
      NOW_TEXT,
      'mentor@uni.kz',
      'Approve (override)',
      'old@uni.kz',
      'python',
      '',
      'Points=88; Letter=B+; GPA=3.33; Traditional mark=Good (4)',
      'r',
    ];
    const tab = {
      header: ['At', 'Who', 'Action', 'Email', 'Course slug', 'Before', 'After', 'Reason', 'Hash'],
      rows: [[...fields, auditRowHash(lastAuditHash(undefined), fields)]],
    };
    expect(latestApprovals(tab).get(progressKey('old@uni.kz', 'python'))).toMatchObject({
      kind: 'approved',
      points: 88,
      letter: 'B+',
      approvedBy: 'mentor@uni.kz (override)',
      approvedAt: NOW_TEXT,
    });
  });
});

describe('approvalVerdict', () => {
  test('approve → verified; the untouched rows → none', () => {
    const wb = workbook();
    approve(wb, 'ready@uni.kz', NOW);
    expect(verdict(wb, 0)).toBe('verified');
    expect(verdict(wb, 1)).toBe('none');
    // An admin override verifies the same way.
    approve(wb, 'review@uni.kz', NOW, { by: 'admin@uni.kz', points: '79', override: 'proctored exam passed' });
    expect(verdict(wb, 1)).toBe('verified');
  });

  test('"Approved by" typed by hand with no audit entry → unverified (and a complete typed approval too)', () => {
    const wb = workbook();
    setCell(wb, 'Progress', 2, 'Approved by', 'mentor@uni.kz');
    expect(verdict(wb, 2)).toBe('unverified');
    setCell(wb, 'Progress', 2, 'Points', 95);
    setCell(wb, 'Progress', 2, 'Letter', 'A');
    setCell(wb, 'Progress', 2, 'Approved at', NOW_TEXT);
    expect(verdict(wb, 2)).toBe('unverified');
  });

  test('approve, then Points edited 95 → 100 → unverified; Points as text "95" still verifies', () => {
    const wb = workbook();
    approve(wb, 'ready@uni.kz', NOW);
    setCell(wb, 'Progress', 0, 'Points', '95');
    expect(verdict(wb, 0)).toBe('verified');
    setCell(wb, 'Progress', 0, 'Points', 100);
    expect(verdict(wb, 0)).toBe('unverified');
    setCell(wb, 'Progress', 0, 'Points', 95);
    setCell(wb, 'Progress', 0, 'Approved by', 'admin@uni.kz');
    expect(verdict(wb, 0)).toBe('unverified');
  });

  test('approve, revoke, approve → verified on the second approval; after the revoke the cells are blank → none', () => {
    const wb = workbook();
    approve(wb, 'ready@uni.kz', NOW);
    const first = wb.record('Progress', 0);
    revoke(wb, 'ready@uni.kz', NOW + HOUR);
    expect(verdict(wb, 0)).toBe('none');
    // Typing the first approval's cells back after the revoke does not bring it back.
    for (const h of ['Points', 'Letter', 'Approved by', 'Approved at']) setCell(wb, 'Progress', 0, h, first[h]);
    expect(verdict(wb, 0)).toBe('unverified');
    for (const h of ['Points', 'Letter', 'Approved by', 'Approved at']) setCell(wb, 'Progress', 0, h, null);
    approve(wb, 'ready@uni.kz', NOW + 2 * HOUR, { points: 90 });
    expect(wb.record('Progress', 0)).toMatchObject({ Points: 90, Letter: 'A-', 'Approved at': '2026-03-02 12:30' });
    expect(verdict(wb, 0)).toBe('verified');
  });

  test('an Audit row edited to match an edited Progress row: that row and every later one are untrusted', () => {
    const wb = workbook();
    approve(wb, 'ready@uni.kz', NOW);
    approve(wb, 'review@uni.kz', NOW + HOUR, { by: 'admin@uni.kz', points: 79, override: 'proctored exam passed' });
    const audit = wb.tabs.get('Audit')!;
    const after = audit.header.indexOf('After');
    audit.rows[0][after] = String(audit.rows[0][after]).replace('Points=95', 'Points=100');
    setCell(wb, 'Progress', 0, 'Points', 100);
    expect(verifyAuditChain(wb.read(['Audit']).Audit)).toMatchObject({
      intact: false,
      trustedRows: 0,
      problems: [{ row: 2, code: 'edited' }],
    });
    expect(verdict(wb, 0)).toBe('unverified');
    // The later, honest approval is not trusted either: it sits below the break.
    expect(verdict(wb, 1)).toBe('unverified');
    expect(latestApprovals(wb.read(['Audit']).Audit).size).toBe(0);
  });

  test('a forged Audit row appended by hand (no valid hash) approves nothing', () => {
    const wb = workbook();
    approve(wb, 'ready@uni.kz', NOW);
    const forged = {
      At: NOW_TEXT,
      Who: 'mentor@uni.kz',
      Action: 'Approve',
      Email: 'typed@uni.kz',
      'Course slug': 'python',
      After: `Points=95; Letter=A; Approved by=mentor@uni.kz; Approved at=${NOW_TEXT}`,
    };
    for (const hash of ['', 'c'.repeat(64), auditRowHash('guess', Object.values(forged))]) {
      const copy = workbook();
      copy.tabs.get('Audit')!.rows.push(...wb.tabs.get('Audit')!.rows.map((r) => r.slice()));
      fill(copy, 'Audit', { ...forged, Hash: hash });
      for (const [h, v] of Object.entries({
        Points: 95,
        Letter: 'A',
        'Approved by': 'mentor@uni.kz',
        'Approved at': NOW_TEXT,
      }))
        setCell(copy, 'Progress', 2, h, v);
      expect(verifyAuditChain(copy.read(['Audit']).Audit)).toMatchObject({
        intact: false,
        trustedRows: 1,
        problems: [{ row: 3 }],
      });
      expect(verdict(copy, 2)).toBe('unverified');
    }
  });

  test('blank cells with a trusted approval on record: simply not approved', () => {
    const approved: LatestApproval = {
      kind: 'approved',
      points: 95,
      letter: 'A',
      approvedBy: 'm@x.kz',
      approvedAt: NOW_TEXT,
      override: false,
      sheetRow: 2,
    };
    expect(approvalVerdict({ points: null, letter: '', approvedBy: '  ', approvedAt: undefined }, approved)).toBe(
      'none',
    );
    expect(
      approvalVerdict({ points: ' 95 ', letter: ' A', approvedBy: 'm@x.kz ', approvedAt: NOW_TEXT }, approved),
    ).toBe('verified');
    expect(approvalVerdict({ points: 95, letter: 'a', approvedBy: 'm@x.kz', approvedAt: NOW_TEXT }, approved)).toBe(
      'unverified',
    );
    expect(approvalVerdict({ points: 95, letter: 'A', approvedBy: 'm@x.kz', approvedAt: null }, approved)).toBe(
      'unverified',
    );
    expect(
      approvalVerdict(
        { points: 95, letter: 'A', approvedBy: 'm@x.kz', approvedAt: NOW_TEXT },
        { kind: 'revoked', sheetRow: 3 },
      ),
    ).toBe('unverified');
  });
});
