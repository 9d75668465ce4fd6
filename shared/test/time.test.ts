/** Instants as the sheet shows them: `YYYY-MM-DD HH:mm` on the configured zone's wall clock, as Intl reads it. */
import { formatInZone, parseInstant } from '../src/time';

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
    Date.UTC(2026, 2, 8, 5, 29, 59, 999), // St. John's springs forward at 05:30 UTC (a half-hour zone)
    Date.UTC(2026, 2, 8, 5, 30, 0, 0),
    Date.UTC(2026, 3, 4, 14, 59, 59, 999), // Lord Howe moves back half an hour at 15:00 UTC
    Date.UTC(2026, 3, 4, 15, 0, 0, 0),
    1e12 + 0.5, // a fractional millisecond (the API's epoch numbers)
  ];
  for (let i = 0; i < 1000; i++) instants.push(from + Math.floor(rand() * (to - from)));

  const zones = [
    'Asia/Almaty',
    'UTC',
    'Europe/Moscow',
    'America/New_York',
    'Asia/Kolkata',
    'America/St_Johns',
    'Australia/Lord_Howe',
  ];
  test.each(zones)('in %s every instant reads as Intl reads it', (zone) => {
    for (const ms of instants) expect(`${ms} ${formatInZone(ms, zone)}`).toBe(`${ms} ${intlWallClock(ms, zone)}`);
  });

  // A zone-less time in the sheet is read on the zone's clock: reading what formatInZone wrote gives the minute back.
  test.each(zones)('in %s a written time reads back as the same minute', (zone) => {
    for (const ms of instants) {
      const text = formatInZone(ms, zone);
      const minute = Math.floor(ms / 60_000) * 60_000;
      const back = parseInstant(text, zone)!;
      // On a fall-back hour the wall clock shows twice; either instant reads as the same text.
      expect(`${text} ${formatInZone(back, zone)}`).toBe(`${text} ${text}`);
      if (Math.abs(back - minute) > 0) expect(Math.abs(back - minute)).toBeLessThanOrEqual(3_600_000);
    }
  });
});
