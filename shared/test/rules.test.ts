import { evaluate, type ProgressFacts } from '../src/rules';
import { endOfDayExclusive, zonedTimeToUtc } from '../src/time';

const settings = { engagementThreshold: 60, timeZone: 'Asia/Almaty', atRiskDays: 14 };
const at = (iso: string) => Date.parse(iso);
const facts = (over: Partial<ProgressFacts> = {}): ProgressFacts => ({
  engagement: 80,
  completed: false,
  completedAt: null,
  certificate: false,
  removed: false,
  lastActivityAt: at('2026-05-01T10:00:00Z'),
  deadline: '2026-05-31',
  approved: false,
  onRoster: true,
  ...over,
});
const done = (over: Partial<ProgressFacts> = {}) =>
  facts({ completed: true, certificate: true, completedAt: at('2026-05-20T10:00:00Z'), ...over });
const beforeDeadline = at('2026-05-10T00:00:00Z');
const afterDeadline = at('2026-06-15T00:00:00Z');

describe('engagement threshold', () => {
  test('59.99 with a certificate is low engagement and needs review (integrity case)', () => {
    const ev = evaluate(done({ engagement: 59.99 }), settings, afterDeadline);
    expect(ev.flags).toContain('LOW_ENGAGEMENT');
    expect(ev.status).toBe('Needs review');
  });
  test('exactly 60 is adequate: ready for approval', () => {
    const ev = evaluate(done({ engagement: 60 }), settings, afterDeadline);
    expect(ev.flags).not.toContain('LOW_ENGAGEMENT');
    expect(ev.status).toBe('Ready for approval');
  });
  test('low engagement while still studying before the deadline is not flagged yet', () => {
    expect(evaluate(facts({ engagement: 30 }), settings, at('2026-04-01T00:00:00Z')).flags).not.toContain(
      'LOW_ENGAGEMENT',
    );
  });
  test('low engagement past the deadline is flagged even without completion', () => {
    expect(evaluate(facts({ engagement: 30 }), settings, afterDeadline).flags).toEqual(['LOW_ENGAGEMENT', 'OVERDUE']);
  });
  test('the threshold comes from settings', () => {
    expect(evaluate(done({ engagement: 70 }), { ...settings, engagementThreshold: 75 }, afterDeadline).status).toBe(
      'Needs review',
    );
  });
});

describe('deadline is the end of that day in Asia/Almaty (UTC+5)', () => {
  test('end of 2026-05-31 in Almaty is 2026-05-31T19:00:00Z', () => {
    expect(new Date(endOfDayExclusive('2026-05-31', 'Asia/Almaty')).toISOString()).toBe('2026-05-31T19:00:00.000Z');
  });
  test('completion at 23:59:59 Almaty time on the deadline day is on time', () => {
    const ev = evaluate(done({ completedAt: at('2026-05-31T18:59:59Z') }), settings, afterDeadline);
    expect(ev.flags).not.toContain('LATE');
    expect(ev.status).toBe('Ready for approval');
  });
  test('completion at 00:00 Almaty time the next day is late', () => {
    const ev = evaluate(done({ completedAt: at('2026-05-31T19:00:00Z') }), settings, afterDeadline);
    expect(ev.flags).toContain('LATE');
    expect(ev.status).toBe('Needs review');
  });
  test('the same instant is on time in UTC: the zone setting matters', () => {
    expect(
      evaluate(done({ completedAt: at('2026-05-31T19:00:00Z') }), { ...settings, timeZone: 'UTC' }, afterDeadline)
        .flags,
    ).not.toContain('LATE');
  });
  test('not overdue during the deadline day, overdue from the first instant after it', () => {
    const end = endOfDayExclusive('2026-05-31', 'Asia/Almaty');
    expect(evaluate(facts(), settings, end - 1).flags).not.toContain('OVERDUE');
    expect(evaluate(facts(), settings, end).flags).toContain('OVERDUE');
    expect(evaluate(facts(), settings, end).status).toBe('Overdue');
  });
});

describe('no deadline', () => {
  test('no LATE and no OVERDUE without a deadline', () => {
    const late = evaluate(
      done({ deadline: null, completedAt: at('2030-01-01T00:00:00Z') }),
      settings,
      at('2031-01-01T00:00:00Z'),
    );
    expect(late.flags).toEqual([]);
    expect(late.status).toBe('Ready for approval');
    const open = evaluate(facts({ deadline: null, engagement: 10 }), settings, at('2031-01-01T00:00:00Z'));
    expect(open.flags).toEqual([]);
    expect(open.status).toBe('In progress');
  });
});

describe('other flags', () => {
  test('AT_RISK: deadline within the window, below threshold, not completed', () => {
    const asOf = zonedTimeToUtc({ year: 2026, month: 5, day: 18, hour: 0, minute: 0, second: 0 }, 'Asia/Almaty');
    expect(evaluate(facts({ engagement: 40 }), settings, asOf).flags).toContain('AT_RISK');
    expect(evaluate(facts({ engagement: 60 }), settings, asOf).flags).not.toContain('AT_RISK');
    const early = zonedTimeToUtc({ year: 2026, month: 5, day: 17, hour: 23, minute: 0, second: 0 }, 'Asia/Almaty');
    expect(evaluate(facts({ engagement: 40 }), settings, early).flags).not.toContain('AT_RISK');
  });
  test('NOT_STARTED: zero engagement, no activity, not completed', () => {
    const ev = evaluate(facts({ engagement: 0, lastActivityAt: null }), settings, beforeDeadline);
    expect(ev.flags).toEqual(['NOT_STARTED']);
    expect(ev.status).toBe('Not started');
    expect(evaluate(facts({ engagement: 0 }), settings, beforeDeadline).flags).not.toContain('NOT_STARTED');
  });
  test('REMOVED and NOT_ON_ROSTER', () => {
    const ev = evaluate(done({ removed: true, onRoster: false }), settings, beforeDeadline);
    expect(ev.flags).toEqual(['REMOVED', 'NOT_ON_ROSTER']);
    expect(ev.status).toBe('Removed');
    expect(evaluate(facts({ onRoster: null }), settings, beforeDeadline).flags).not.toContain('NOT_ON_ROSTER');
  });
  test('a completion without a completion time is never guessed late', () => {
    expect(evaluate(done({ completedAt: null }), settings, afterDeadline).flags).not.toContain('LATE');
  });
});

describe('status precedence', () => {
  test('Approved beats everything, Removed beats readiness', () => {
    expect(evaluate(done({ approved: true, removed: true, engagement: 10 }), settings, afterDeadline).status).toBe(
      'Approved',
    );
    expect(evaluate(done({ removed: true }), settings, afterDeadline).status).toBe('Removed');
  });
  test('completed without certificate and adequate engagement stays in progress', () => {
    expect(evaluate(done({ certificate: false }), settings, beforeDeadline).status).toBe('In progress');
  });
  test('certificate with low engagement needs review even before the deadline', () => {
    expect(evaluate(done({ engagement: 5 }), settings, beforeDeadline).status).toBe('Needs review');
  });
});
