/** Instants as the sheet shows them: `YYYY-MM-DD HH:mm` on the configured zone's wall clock, as Intl reads it. */
import { formatInZone } from '../src/time';

function intlWallClock(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('formatInZone', () => {
  const from = Date.UTC(1995, 0, 1);
  const to = Date.UTC(2045, 0, 1);
  const rand = rng(11);
  const instants = [
    Date.UTC(2026, 1, 16, 14, 52, 14, 222),
    Date.UTC(2026, 11, 31, 18, 59, 59, 999), // 23:59 in Almaty, the last minute of a year
    Date.UTC(2026, 11, 31, 19, 0, 0, 0), // midnight in Almaty, a new year
    Date.UTC(2024, 1, 28, 19, 0, 0, 0), // 29 February
    Date.UTC(2026, 2, 8, 6, 59, 59, 999), // around New York's spring-forward
    Date.UTC(2026, 2, 8, 7, 0, 0, 0),
    Date.UTC(2026, 10, 1, 6, 0, 0, 0), // and fall-back
    1e12 + 0.5, // a fractional millisecond (the API's epoch numbers)
  ];
  for (let i = 0; i < 1000; i++) instants.push(from + Math.floor(rand() * (to - from)));

  test.each(['Asia/Almaty', 'UTC', 'Europe/Moscow', 'America/New_York', 'Asia/Kolkata'])(
    'in %s every instant reads as Intl reads it',
    (zone) => {
      for (const ms of instants) expect(`${ms} ${formatInZone(ms, zone)}`).toBe(`${ms} ${intlWallClock(ms, zone)}`);
    },
  );
});
