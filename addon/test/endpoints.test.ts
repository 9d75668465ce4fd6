/** The server functions over a MemoryWorkbook: the server, not the sidebar, decides what is allowed. */
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import { ADMIN, demoPlan, LAW_MENTOR } from '../dev/seed';
import { CATALOGS } from '../src/i18n';
import { createServerApi } from '../src/server/endpoints';

function setup(user: string, locale = 'en') {
  const wb = new MemoryWorkbook();
  wb.apply(demoPlan());
  const who = { user };
  const api = createServerApi({ workbook: wb, userEmail: () => who.user, userLocale: () => locale, now: () => Date.parse('2026-05-01T06:00:00Z'), exclusive: (fn) => fn() });
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
    const refused = api.approveRows([{ email: 'boris@student.example.kz', slug: 'law-101' }]);
    expect(refused.results[0]).toMatchObject({ ok: false, message: CATALOGS.en['msg.notReady'] });
    const ok = api.approveRows([{ email: 'boris@student.example.kz', slug: 'law-101', points: 70, override: 'proctored re-test passed' }]);
    expect(ok.results[0].ok).toBe(true);
    expect(progress(wb, 'boris@student.example.kz')).toMatchObject({ Points: 70, 'Approved by': `${ADMIN} (override)` });
    expect(wb.tabs.get('Audit')!.rows.at(-1)).toEqual(expect.arrayContaining(['Approve (override)', 'proctored re-test passed']));
  });

  test('a mentor cannot override, cannot approve another course, and bad points are refused — nothing written', () => {
    const { wb, api } = setup(LAW_MENTOR, 'kk');
    const result = api.approveRows([
      { email: 'boris@student.example.kz', slug: 'law-101', override: 'please' },
      { email: 'dana@student.example.kz', slug: 'cs-101' },
      { email: 'aliya@student.example.kz', slug: 'law-101', points: 101 },
    ]);
    expect(result.results.map((r) => r.message)).toEqual([CATALOGS.kk['msg.overrideAdminsOnly'], CATALOGS.kk['msg.notAllowed'], CATALOGS.kk['msg.points']]);
    expect(wb.tabs.get('Audit')!.rows).toEqual([]);
    expect(progress(wb, 'aliya@student.example.kz')['Approved by']).toBeNull();
  });

  test('without the user e-mail nothing can be done', () => {
    const { api } = setup('');
    expect(api.getApprovalView().rows).toEqual([]);
    expect(() => api.approveRows([{ email: 'aliya@student.example.kz', slug: 'law-101' }])).toThrow(CATALOGS.en['msg.noUser']);
    expect(api.getEligibilityView().isAdmin).toBe(false);
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
});
