/** The server functions over a MemoryWorkbook: the server, not the sidebar, decides what is allowed. */
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { ADMIN, demoPlan, LAW_MENTOR } from '../dev/seed';
import { CATALOGS } from '../src/i18n';
import type { Plan } from '../../shared/src/workbook';
import { AppsScriptWorkbook } from '../src/server/apps-script-workbook';
import { createServerApi } from '../src/server/endpoints';
import { FakeApp, FakeLock, FakeSpreadsheet } from './fakes/spreadsheet';

function setup(user: string, locale = 'en') {
  const wb = new MemoryWorkbook();
  wb.apply(demoPlan());
  const who = { user };
  const api = createServerApi({
    workbook: wb,
    userEmail: () => who.user,
    userLocale: () => locale,
    now: () => Date.parse('2026-05-01T06:00:00Z'),
    exclusive: (fn) => fn(),
  });
  return { wb, api, who };
}
const progress = (wb: MemoryWorkbook, email: string) => {
  const t = wb.tabs.get('Progress')!;
  return Object.fromEntries(t.header.map((h, i) => [h, t.rows.find((r) => r[0] === email)![i] ?? null]));
};

describe('server functions', () => {
  test('an admin may approve a row that is not ready only with a reason, and it shows as an override', () => {
    const { wb, api } = setup(ADMIN);
    expect(api.getApprovalView().rows.map((r) => r.email)).toContain('boris@student.example.kz');
    const refused = api.approveRows([{ email: 'boris@student.example.kz', slug: 'law-101', points: 88 }]);
    expect(refused.results[0]).toMatchObject({ ok: false, message: CATALOGS.en['msg.notReady'] });
    // A whitespace-only reason is a missing reason, not a missing override (finding 6 of issue 9).
    const blank = api.approveRows([
      { email: 'boris@student.example.kz', slug: 'law-101', points: 70, override: '   ', overrideCode: 'other' },
    ]);
    expect(blank.results[0]).toMatchObject({ ok: false, message: CATALOGS.en['msg.reasonRequired'] });
    const short = api.approveRows([
      { email: 'boris@student.example.kz', slug: 'law-101', points: 70, override: 'ok', overrideCode: 'other' },
    ]);
    expect(short.results[0]).toMatchObject({ ok: false, message: CATALOGS.en['msg.reasonTooShort'] });
    const ok = api.approveRows([
      {
        email: 'boris@student.example.kz',
        slug: 'law-101',
        points: 70,
        override: 'proctored re-test passed',
        overrideCode: 'other',
      },
    ]);
    expect(ok.results[0].ok).toBe(true);
    expect(progress(wb, 'boris@student.example.kz')).toMatchObject({
      Points: 70,
      'Approved by': `${ADMIN} (override)`,
    });
    expect(wb.tabs.get('Audit')!.rows.at(-1)).toEqual(
      expect.arrayContaining(['Approve (override)', 'other: proctored re-test passed']),
    );
  });

  test('a mentor cannot override, cannot approve another course, and bad points are refused — nothing written', () => {
    const { wb, api } = setup(LAW_MENTOR, 'kk');
    const result = api.approveRows([
      { email: 'boris@student.example.kz', slug: 'law-101', points: 88, override: 'please' },
      { email: 'dana@student.example.kz', slug: 'cs-101', points: 77 },
      { email: 'aliya@student.example.kz', slug: 'law-101', points: 101 },
    ]);
    expect(result.results.map((r) => r.message)).toEqual([
      CATALOGS.kk['msg.overrideAdminsOnly'],
      CATALOGS.kk['msg.notAllowed'],
      CATALOGS.kk['msg.points'],
    ]);
    expect(wb.tabs.get('Audit')!.rows).toHaveLength(1); // only the seed's approval of erlan
    expect(progress(wb, 'aliya@student.example.kz')['Approved by']).toBeNull();
  });

  test('without the user e-mail nothing can be done', () => {
    const { api } = setup('');
    expect(api.getApprovalView().rows).toEqual([]);
    expect(() => api.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }])).toThrow(
      CATALOGS.en['msg.noUser'],
    );
    expect(() => api.saveComment({ email: 'aliya@student.example.kz', slug: 'law-101', text: 'x' })).toThrow(
      CATALOGS.en['msg.noUser'],
    );
    expect(api.getEligibilityView().isAdmin).toBe(false);
  });

  test('a mentor sees every row of their courses with its real status, flags, group and comment, and the grade scale', () => {
    const { api } = setup(LAW_MENTOR);
    const view = api.getApprovalView();
    const byEmail = Object.fromEntries(view.rows.map((r) => [r.email, r]));
    // Needs review is shown to the mentor, with why; In progress keeps its own status.
    expect(byEmail['boris@student.example.kz']).toMatchObject({
      status: 'Needs review',
      flags: ['LOW_ENGAGEMENT'],
      ready: false,
    });
    expect(byEmail['gulnar@student.example.kz']).toMatchObject({ status: 'In progress', ready: false });
    expect(byEmail['aliya@student.example.kz']).toMatchObject({
      status: 'Ready for approval',
      ready: true,
      mentorComment: '',
      group: '',
    });
    expect(byEmail['erlan@student.example.kz']).toMatchObject({ approvedBy: LAW_MENTOR });
    // Not this mentor's course.
    expect(byEmail['dana@student.example.kz']).toBeUndefined();
    expect(view.scale[0]).toEqual({ letter: 'A', min: 95, max: 100 });
    expect(view.scale.at(-1)).toMatchObject({ letter: 'F', min: 0 });
  });

  test('the sidebar must send the points: a blank or absent value is refused, nothing written (the CLI keeps its default)', () => {
    const { wb, api } = setup(LAW_MENTOR, 'ru');
    const auditBefore = wb.tabs.get('Audit')!.rows.length;
    const result = api.approveRows([
      { email: 'aliya@student.example.kz', slug: 'law-101', points: null },
      { email: 'xss@student.example.kz', slug: 'law-101' } as never,
      { email: 'xss@student.example.kz', slug: 'law-101', points: '' as never },
    ]);
    expect(result.results.map((r) => [r.ok, r.message])).toEqual([
      [false, CATALOGS.ru['msg.pointsRequired']],
      [false, CATALOGS.ru['msg.pointsRequired']],
      [false, CATALOGS.ru['msg.pointsRequired']],
    ]);
    expect(wb.tabs.get('Audit')!.rows).toHaveLength(auditBefore);
    expect(progress(wb, 'aliya@student.example.kz')['Approved by']).toBeNull();
    const ok = api.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 0 }]);
    expect(ok.results[0].ok).toBe(true);
    expect(progress(wb, 'aliya@student.example.kz')).toMatchObject({ Points: 0, Letter: 'F' });
  });

  test('saveComment writes only the Mentor comment cell, as text, for the course mentor or an admin, at most 1,000 characters', () => {
    const { wb, api, who } = setup(LAW_MENTOR, 'kk');
    const before = wb.tabs.get('Progress')!.rows.map((r) => r.slice());
    const auditBefore = wb.tabs.get('Audit')!.rows.length;
    const col = wb.tabs.get('Progress')!.header.indexOf('Mentor comment');
    const formula = '=HYPERLINK("http://x","<b>41%</b>") — asked for the proctored test';
    const saved = api.saveComment({ email: 'Boris@Student.example.kz', slug: 'law-101', text: formula });
    expect(saved.results[0]).toMatchObject({ ok: true, message: CATALOGS.kk['msg.commentSaved'] });
    const after = wb.tabs.get('Progress')!.rows;
    // Exactly one cell changed, and it holds the text as typed.
    const changed = after.flatMap((r, i) =>
      r.flatMap((v, j) => ((v ?? null) !== (before[i][j] ?? null) ? [[i, j]] : [])),
    );
    expect(changed).toEqual([[2, col]]);
    expect(after[2][col]).toBe(formula);
    expect(saved.view.rows.find((r) => r.email === 'boris@student.example.kz')!.mentorComment).toBe(formula);
    expect(wb.tabs.get('Audit')!.rows).toHaveLength(auditBefore);

    const long = api.saveComment({ email: 'boris@student.example.kz', slug: 'law-101', text: 'x'.repeat(1001) });
    expect(long.results[0]).toMatchObject({
      ok: false,
      message: CATALOGS.kk['msg.commentTooLong'].replace('{max}', '1000'),
    });
    expect(
      api.saveComment({ email: 'boris@student.example.kz', slug: 'law-101', text: 'y'.repeat(1000) }).results[0].ok,
    ).toBe(true);
    // Another course's row: refused, nothing written.
    const other = api.saveComment({ email: 'dana@student.example.kz', slug: 'cs-101', text: 'hi' });
    expect(other.results[0]).toMatchObject({ ok: false, message: CATALOGS.kk['msg.notAllowed'] });
    expect(progress(wb, 'dana@student.example.kz')['Mentor comment']).toBeNull();
    expect(api.saveComment({ email: 'nobody@student.example.kz', slug: 'law-101', text: 'hi' }).results[0].ok).toBe(
      false,
    );
    // An admin may comment on any course.
    who.user = ADMIN;
    expect(api.saveComment({ email: 'dana@student.example.kz', slug: 'cs-101', text: 'ok' }).results[0].ok).toBe(true);
    expect(progress(wb, 'dana@student.example.kz')['Mentor comment']).toBe('ok');
  });

  test('enroll waits for the check and the possible match; a stale sidebar row is not acted on', () => {
    const { wb, api } = setup(ADMIN, 'ru');
    expect(() => api.enrollEligible('2026-spring')).toThrow(CATALOGS.ru['elig.pendingBlock']);
    const view = api.runEligibilityCheck();
    const match = view.possibleMatches[0];
    expect(() => api.resolvePossibleMatch(match.row, 'someone.else@student.example.kz', true)).toThrow(/someone.else/);
    expect(() => api.enrollEligible('2026-spring')).toThrow(CATALOGS.ru['elig.pendingBlock']);
    const after = api.resolvePossibleMatch(match.row, match.email, true);
    expect(after.counts.PRIOR_PARTICIPANT).toBe(2);
    const enrolled = api.enrollEligible('2026-spring');
    expect(enrolled.added).toBe(2);
    expect(api.enrollEligible('2026-spring')).toMatchObject({ added: 0, skipped: 2 });
    expect(wb.tabs.get('Roster')!.rows).toHaveLength(2);
  });

  test('a cohort other than Settings "Cohort" is refused until the sidebar confirms it as new; a mentor may not enroll', () => {
    const { wb, api, who } = setup(ADMIN, 'kk');
    api.runEligibilityCheck();
    const match = api.getEligibilityView().possibleMatches[0];
    api.resolvePossibleMatch(match.row, match.email, false);
    expect(() => api.enrollEligible('2026-sprnig')).toThrow(CATALOGS.kk['elig.cohortMismatch']);
    expect(wb.tabs.get('Roster')!.rows).toEqual([]);
    who.user = LAW_MENTOR;
    expect(() => api.enrollEligible('2026-spring')).toThrow(CATALOGS.kk['msg.adminsOnly']);
    who.user = ADMIN;
    expect(api.enrollEligible('2026-autumn', true)).toMatchObject({
      added: 3,
      cohort: '2026-autumn',
      view: { cohort: '2026-autumn' },
    });

    // Undo one of them: admins only, with a reason; Roster and history rows go, Audit says so.
    const email = (wb.tabs.get('Roster')!.rows[0][0] as string).toUpperCase();
    who.user = LAW_MENTOR;
    expect(() => api.unenrollStudent(email, 'mistake')).toThrow(CATALOGS.kk['msg.adminsOnly']);
    who.user = ADMIN;
    expect(() => api.unenrollStudent(email, ' ')).toThrow(CATALOGS.kk['msg.reasonRequired']);
    api.unenrollStudent(email, 'mistake');
    expect(wb.tabs.get('Roster')!.rows).toHaveLength(2);
    expect(wb.tabs.get('Audit')!.rows.at(-1)).toEqual(
      expect.arrayContaining(['Unenroll', email.toLowerCase(), 'mistake']),
    );
    expect(() => api.unenrollStudent(email, 'again')).toThrow(
      CATALOGS.kk['msg.notFound'].replace('{email}', '').replace('{slug}', ''),
    );
  });
});

describe('people keep working while a sidebar action saves', () => {
  test('a mentor sorts Progress while an approval is saved: nothing lands on the wrong student, the message is in their language', () => {
    const ss = new FakeSpreadsheet();
    const wb = new AppsScriptWorkbook(ss, { app: new FakeApp(), lock: new FakeLock() });
    wb.apply(demoPlan({ language: 'ru' }));
    const sortProgressZtoA = () => {
      const sheet = ss.getSheetByName('Progress')!;
      const rows = sheet.getRange(2, 1, sheet.getLastRow() - 1, sheet.getLastColumn()).getValues();
      // Typed back as text where it is text, as a person's sort keeps values.
      sheet
        .getRange(2, 1, rows.length, rows[0].length)
        .setValues(rows.reverse().map((r) => r.map((v) => (typeof v === 'string' && v !== '' ? `'${v}` : v))));
    };
    let sortBeforeNextWrite = true;
    const workbook = {
      read: (tabs: readonly string[]) => wb.read(tabs),
      apply: (plan: Plan) => {
        if (sortBeforeNextWrite) {
          sortBeforeNextWrite = false;
          sortProgressZtoA();
        }
        wb.apply(plan);
      },
    };
    const api = createServerApi({
      workbook,
      userEmail: () => LAW_MENTOR,
      userLocale: () => 'ru',
      now: () => Date.parse('2026-05-01T06:00:00Z'),
      exclusive: (fn) => wb.withLock(fn),
    });
    const approvedBy = () => {
      const [header, ...rows] = ss.getSheetByName('Progress')!.dump();
      return Object.fromEntries(rows.map((r) => [r[header.indexOf('Email')], r[header.indexOf('Approved by')]]));
    };
    const before = approvedBy();

    expect(() => api.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }])).toThrow(
      CATALOGS.ru['msg.sheetChanged'].replace('{tab}', 'Progress'),
    );
    expect(approvedBy()).toEqual(before);

    const again = api.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101', points: 95 }]);
    expect(again.results[0].ok).toBe(true);
    expect(approvedBy()).toEqual({ ...before, 'aliya@student.example.kz': LAW_MENTOR });
  });
});
