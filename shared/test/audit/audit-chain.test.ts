/** The Audit hash chain: what auditPlan writes verifies; edits, inserts, deletions and forgeries are found at their row. */
import {
  AUDIT_CHAIN_SEED,
  AUDIT_HASHED_COLUMNS,
  auditRowHash,
  describeAuditProblem,
  lastAuditHash,
  verifyAuditChain,
} from '../../src/audit-chain';
import type { Cell, Row } from '../../src/cells';
import { auditPlan, type AuditEntry } from '../../src/audit';
import { AUDIT_TAB, headersOf } from '../../src/layout';
import { MemoryWorkbook } from '../../src/memory-workbook';
import type { TabSnapshot } from '../../src/workbook';

const NOW = Date.UTC(2026, 2, 2, 5, 30);
const TZ = 'Asia/Almaty';

const entry = (n: number): AuditEntry => ({
  who: n % 2 ? 'mentor@uni.kz' : 'Әйгерім Қасымова <admin@uni.kz>',
  action: n % 3 ? 'Approve' : 'Revoke',
  email: `s${n}@uni.kz`,
  courseSlug: 'python',
  before: `Points=; n=${n}`,
  after: `Points=${90 + n}; Letter=A; note="quoted"; 👍`,
  reason: n % 2 ? undefined : 'пересдача',
});

/** A workbook whose Audit tab got `n` rows through auditPlan, in batches of one and two. */
function audited(n: number, initial?: { header: string[]; rows: Row[] }): MemoryWorkbook {
  const wb = new MemoryWorkbook();
  if (initial) wb.apply({ tabs: [{ tab: 'Audit', create: { header: initial.header }, appends: initial.rows }] });
  for (let i = 0; i < n;) {
    const batch = i % 3 === 1 && i + 1 < n ? [entry(i), entry(i + 1)] : [entry(i)];
    wb.apply({ tabs: [auditPlan(wb.read(['Audit']), NOW + i * 60_000, TZ, batch)!] });
    i += batch.length;
  }
  return wb;
}

const audit = (wb: MemoryWorkbook): TabSnapshot => wb.read(['Audit']).Audit!;
const copy = (t: TabSnapshot): TabSnapshot => ({
  name: t.name,
  header: t.header.slice(),
  rows: t.rows.map((r) => r.slice()),
});
const col = (t: TabSnapshot, header: string) => t.header.indexOf(header);

describe('the chain auditPlan writes', () => {
  test('a missing or empty Audit tab is intact with 0 rows', () => {
    expect(verifyAuditChain(undefined)).toEqual({ rows: 0, intact: true, problems: [], trustedRows: 0 });
    const blank: TabSnapshot = { name: 'Audit', header: headersOf(AUDIT_TAB), rows: [[], [null, '']] };
    expect(verifyAuditChain(blank)).toEqual({ rows: 0, intact: true, problems: [], trustedRows: 0 });
    expect(lastAuditHash(undefined)).toBe(AUDIT_CHAIN_SEED);
  });

  test('Hash is the last layout column; the first row chains from the documented seed', () => {
    const hashed = ['At', 'Who', 'Action', 'Email', 'Course slug', 'Before', 'After', 'Reason'];
    expect(headersOf(AUDIT_TAB)).toEqual([...hashed, 'Hash']);
    expect(AUDIT_HASHED_COLUMNS.map((c) => c.header)).toEqual(hashed);
    const t = audit(audited(1));
    expect(t.rows[0][col(t, 'Hash')]).toBe(auditRowHash(AUDIT_CHAIN_SEED, t.rows[0].slice(0, 8)));
    expect(auditRowHash(AUDIT_CHAIN_SEED, ['a', 'b'])).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the encoding is unambiguous: moving text between cells changes the hash', () => {
    expect(auditRowHash('x', ['ab', 'c'])).not.toBe(auditRowHash('x', ['a', 'bc']));
    expect(auditRowHash('x', ['a","b'])).not.toBe(auditRowHash('x', ['a', 'b']));
    // Text is what is hashed: a number and the text that spells it, blank and null, are the same.
    expect(auditRowHash('x', [95, null])).toBe(auditRowHash('x', ['95', '']));
  });

  test('rows appended one by one and in batches verify; each chains from the row above', () => {
    const t = audit(audited(7));
    expect(t.rows).toHaveLength(7);
    expect(verifyAuditChain(t)).toEqual({ rows: 7, intact: true, problems: [], trustedRows: 7 });
    for (let i = 1; i < 7; i++)
      expect(t.rows[i][8]).toBe(auditRowHash(t.rows[i - 1][8] as string, t.rows[i].slice(0, 8)));
    expect(lastAuditHash(t)).toBe(t.rows[6][8]);
  });

  test('columns found by header name: reordered columns and a user column still verify; the user column is not hashed', () => {
    const t = audit(audited(4));
    const order = [8, 7, 0, 3, 2, 1, 6, 5, 4];
    const moved: TabSnapshot = {
      name: 'Audit',
      header: ['My notes', ...order.map((i) => t.header[i].toUpperCase() + '  ')],
      rows: t.rows.map((r, n) => [`note ${n}`, ...order.map((i) => r[i])]),
    };
    expect(verifyAuditChain(moved)).toMatchObject({ intact: true, rows: 4 });
    moved.rows[1][0] = 'a user may write here';
    expect(verifyAuditChain(moved).intact).toBe(true);
    // …and new rows appended to the reordered tab chain on.
    const wb = audited(2, { header: moved.header, rows: moved.rows });
    expect(verifyAuditChain(audit(wb))).toMatchObject({ intact: true, rows: 6, trustedRows: 6 });
  });

  test('trailing blank rows are not rows', () => {
    const t = copy(audit(audited(2)));
    t.rows.push([], [null, '', null]);
    expect(verifyAuditChain(t)).toMatchObject({ rows: 2, intact: true });
  });
});

describe('tampering is found at its row', () => {
  const base = () => copy(audit(audited(6)));
  const first = (t: TabSnapshot) => {
    const r = verifyAuditChain(t);
    expect(r.intact).toBe(false);
    expect(r.problems).toHaveLength(1);
    return { ...r.problems[0], trustedRows: r.trustedRows, rows: r.rows };
  };
  /** The eight hashed cells of an approval typed in by hand; its Hash is up to the forger. */
  const forged: Cell[] = ['2026-03-02 10:33', 'mentor@uni.kz', 'Approve', 'x@uni.kz', 'python', '', 'Points=100', ''];
  /** What `first` finds for rows slipped in below sheet row 3: an insert at row 4, the two rows above it trusted. */
  const insertedAtRow4 = (reason: string) => ({ row: 4, code: 'inserted', trustedRows: 2, reason });

  test('an edited cell: that row, "edited"; the rows above stay trusted', () => {
    const t = base();
    t.rows[3][col(t, 'After')] = 'Points=100; Letter=A';
    expect(first(t)).toMatchObject({ row: 5, code: 'edited', trustedRows: 3, rows: 6 });
    expect(describeAuditProblem(verifyAuditChain(t).problems[0])).toBe(
      'row 5: edited after it was written, or the row(s) just above it were deleted: its cells no longer match its hash',
    );
  });

  test('an edited last row, an edited first row', () => {
    const last = base();
    last.rows[5][col(last, 'Who')] = 'admin@uni.kz';
    expect(first(last)).toMatchObject({ row: 7, code: 'broken', trustedRows: 5 });
    const top = base();
    top.rows[0][col(top, 'Email')] = 'other@uni.kz';
    expect(first(top)).toMatchObject({ row: 2, code: 'edited', trustedRows: 0 });
    expect(first(top).reason).toContain('or the first rows of the tab were deleted');
  });

  test('whitespace around a value is not an edit (backends trim differently); case is', () => {
    const t = base();
    t.rows[2][col(t, 'Who')] = `  ${t.rows[2][col(t, 'Who')]} `;
    expect(verifyAuditChain(t).intact).toBe(true);
    t.rows[2][col(t, 'Who')] = String(t.rows[2][col(t, 'Who')]).toUpperCase();
    expect(first(t).row).toBe(4);
  });

  test('a row inserted by hand, with or without a made-up hash', () => {
    for (const hash of ['', 'f'.repeat(64)]) {
      const t = base();
      t.rows.splice(2, 0, [...forged, hash]);
      expect(first(t)).toMatchObject({ row: 4, code: hash ? 'inserted' : 'missing-hash', trustedRows: 2, rows: 7 });
    }
    const two = base();
    two.rows.splice(
      2,
      0,
      ['x', '', '', '', '', '', '', '', 'e'.repeat(64)],
      ['y', '', '', '', '', '', '', '', 'd'.repeat(64)],
    );
    expect(first(two)).toMatchObject(
      insertedAtRow4('inserted by hand (with the 1 row(s) below it): row 6 chains from the row above it'),
    );
  });

  test('a row inserted with a hash computed over the row above: the row below no longer chains', () => {
    const t = base();
    t.rows.splice(2, 0, [...forged, auditRowHash(t.rows[1][8] as string, forged)]);
    // Found at the forged row itself, which is therefore not trusted.
    expect(first(t)).toMatchObject(insertedAtRow4('inserted by hand: row 5 chains from row 3, above it'));
  });

  test('deleted rows: found at the row that lost its predecessor (it reads like an edit: the lost hashes are gone)', () => {
    const t = base();
    t.rows.splice(2, 2);
    expect(first(t)).toMatchObject({ row: 4, code: 'edited', trustedRows: 2, rows: 4 });
    expect(first(t).reason).toContain('deleted');
    const top = base();
    top.rows.splice(0, 1);
    expect(first(top)).toMatchObject({ row: 2, trustedRows: 0 });
    // Deleting the last rows leaves a shorter chain that verifies: the chain cannot see it.
    const tail = base();
    tail.rows.pop();
    expect(verifyAuditChain(tail).intact).toBe(true);
  });

  test('an emptied row, a cleared hash, an edited hash', () => {
    const emptied = base();
    emptied.rows[1] = emptied.rows[1].map(() => null);
    expect(first(emptied)).toMatchObject({ row: 3, code: 'emptied' });
    const cleared = base();
    cleared.rows[4][8] = '';
    expect(first(cleared)).toMatchObject({ row: 6, code: 'missing-hash' });
    expect(describeAuditProblem(verifyAuditChain(cleared).problems[0])).toMatch(/^row 6: hash missing/);
    const edited = base();
    edited.rows[4][8] = 'a'.repeat(64);
    expect(first(edited)).toMatchObject({ row: 6, code: 'broken' });
  });

  test('a forged row appended at the end without a valid hash', () => {
    const t = base();
    t.rows.push([
      '2026-03-03 09:00',
      'mentor@uni.kz',
      'Approve',
      'x@uni.kz',
      'python',
      '',
      'Points=100',
      '',
      'not a hash',
    ]);
    expect(first(t)).toMatchObject({ row: 8, trustedRows: 6 });
  });

  test('a deleted or renamed layout column: nothing verifies (reported at the header row)', () => {
    const t = base();
    t.header[col(t, 'Reason')] = 'Why';
    expect(first(t)).toMatchObject({ row: 1, code: 'missing-column', trustedRows: 0 });
    expect(first(t).reason).toContain('"Reason"');
  });

  test('appending after a break chains from the last stored hash: the break stays at its own row', () => {
    const wb = audited(4);
    const t = wb.tabs.get('Audit')!;
    t.rows[1][col(audit(wb), 'After')] = 'Points=100';
    wb.apply({ tabs: [auditPlan(wb.read(['Audit']), NOW + 3_600_000, TZ, [entry(9), entry(10)])!] });
    expect(first(audit(wb))).toMatchObject({ row: 3, code: 'edited', trustedRows: 1, rows: 6 });
  });

  test('an Audit tab from before the chain: row 2 has no hash, with or without the Hash column; appending adds the column', () => {
    const old: TabSnapshot = {
      name: 'Audit',
      header: headersOf(AUDIT_TAB).slice(0, 8),
      rows: [['2026-01-01 10:00', 'admin@uni.kz', 'Enroll', 'a@uni.kz', '', '', 'cohort=2025', '']],
    };
    expect(first(old)).toMatchObject({
      row: 2,
      code: 'missing-hash',
      reason: expect.stringContaining('no "Hash" column'),
    });
    const legacyHeader = headersOf(AUDIT_TAB).slice(0, 8);
    const wb = audited(2, {
      header: legacyHeader,
      rows: [['2026-01-01 10:00', 'admin@uni.kz', 'Enroll', 'a@uni.kz', '', '', 'cohort=2025', '']],
    });
    const t = audit(wb);
    expect(t.header).toEqual(headersOf(AUDIT_TAB));
    expect(first(t)).toMatchObject({ row: 2, code: 'missing-hash', trustedRows: 0, rows: 3 });
  });
});
