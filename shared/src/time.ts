/**
 * Time-zone arithmetic with nothing but Intl, so it runs unchanged in Node and in Apps Script V8.
 * A deadline `YYYY-MM-DD` means the end of that day in the configured zone (Asia/Almaty for KZ).
 */
import type { Cell } from './cells';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour % 24,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` reads the given time. */
export function zonedTimeToUtc(w: WallClock & { ms?: number }, timeZone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms ?? 0);
  // Two passes settle the offset across a DST change; KZ has none since 2024, other zones do.
  let guess = naive - cachedOffset(naive, timeZone);
  guess = naive - cachedOffset(guess, timeZone);
  return guess;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Every offset since 1900 is a multiple of 15 minutes, so zone transitions fall on quarter-hours of UTC. */
const QUARTER_MS = 900_000;
/** Per zone: the offset of each UTC day that has one all day (NaN: a transition day), and of quarter-hours of transition days. */
const dayOffsets = new Map<string, Map<number, number>>();
const quarterOffsets = new Map<string, Map<number, number>>();

function cache(caches: Map<string, Map<number, number>>, timeZone: string): Map<number, number> {
  let c = caches.get(timeZone);
  if (!c) caches.set(timeZone, (c = new Map<number, number>()));
  if (c.size > 100_000) c.clear();
  return c;
}

/**
 * The zone's offset at `ms`: one Intl call (~10 µs) per zone and UTC day, more only on the few days
 * a zone changes its clock. A sync formats and parses 300k instants over a few hundred days.
 */
function cachedOffset(ms: number, timeZone: string): number {
  const days = cache(dayOffsets, timeZone);
  const day = Math.floor(ms / DAY_MS);
  let off = days.get(day);
  if (off === undefined) {
    const start = offsetAt(day * DAY_MS, timeZone);
    off = start === offsetAt((day + 1) * DAY_MS - 1000, timeZone) ? start : NaN;
    days.set(day, off);
  }
  if (!Number.isNaN(off)) return off;
  const quarters = cache(quarterOffsets, timeZone);
  const quarter = Math.floor(ms / QUARTER_MS);
  off = quarters.get(quarter);
  if (off === undefined) quarters.set(quarter, (off = offsetAt(quarter * QUARTER_MS, timeZone)));
  return off;
}

/** `HH:mm` for each minute of a day, and `YYYY-MM-DD` for days already seen: a sync formats 300k instants over a few hundred days. */
const HH_MM = Array.from({ length: 1440 }, (_, m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);
const dayTexts = new Map<number, string>();

/** `YYYY-MM-DD HH:mm` on the wall clock of `timeZone`: how the sheet shows instants. */
export function formatInZone(ms: number, timeZone: string): string {
  const shifted = ms + cachedOffset(ms, timeZone);
  if (shifted >= 0 && shifted < 253402300800000) {
    const day = Math.floor(shifted / DAY_MS);
    let date = dayTexts.get(day);
    if (date === undefined) {
      date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      if (dayTexts.size > 50_000) dayTexts.clear();
      dayTexts.set(day, date);
    }
    return `${date} ${HH_MM[Math.floor((shifted - day * DAY_MS) / 60_000)]}`;
  }
  const d = new Date(shifted);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function dateInZone(ms: number, timeZone: string): string {
  return formatInZone(ms, timeZone).slice(0, 10);
}

const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const DOTTED_DATE = /^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

function validWall(w: WallClock): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  return d.getUTCDate() === w.day && d.getUTCMonth() === w.month - 1;
}

/**
 * Parses a timestamp as exports and sheets carry it. Text with `Z` or an offset is absolute;
 * zone-less text (`2026-04-01T00:00:00`, `2026-04-01 09:30`, `01.04.2026`) is read on the wall
 * clock of `zoneForLocal`. Returns null for blank, NaN-free epoch ms otherwise; throws on garbage
 * so callers can report the cell.
 */
const PLAIN_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/;

export function parseInstant(text: string, zoneForLocal: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  // Fast path for what Coursera writes (2020-02-16T14:52:14.222Z); day-of-month still checked below.
  if (PLAIN_UTC.test(t) && Number(t.slice(8, 10)) <= 28) return Date.parse(t);
  let m = ISO_WITH_ZONE.exec(t);
  if (m) {
    const w = toWall(m);
    if (!validWall(w)) throw new Error(`not a valid date/time: "${text}"`);
    const ms = Date.parse(t.replace(' ', 'T'));
    if (Number.isNaN(ms)) throw new Error(`not a valid date/time: "${text}"`);
    return ms;
  }
  m = LOCAL_DATE_TIME.exec(t);
  if (m) {
    const w = toWall(m);
    if (!validWall(w)) throw new Error(`not a valid date/time: "${text}"`);
    return zonedTimeToUtc({ ...w, ms: fraction(m[7]) }, zoneForLocal);
  }
  m = DOTTED_DATE.exec(t);
  if (m) {
    const w = { year: +m[3], month: +m[2], day: +m[1], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
    if (!validWall(w)) throw new Error(`not a valid date: "${text}"`);
    return zonedTimeToUtc(w, zoneForLocal);
  }
  throw new Error(`not a date/time: "${text}" (expected ISO-8601 such as 2026-02-16T14:52:14Z)`);
}

function toWall(m: RegExpExecArray): WallClock {
  return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
}

function fraction(digits: string | undefined): number {
  return digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0;
}

/** Excel / Sheets serial day number (1899-12-30 epoch) to `YYYY-MM-DD`. */
export function serialToDate(serial: number): string {
  const d = new Date(Math.round((serial - 25569) * DAY_MS));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * A calendar date typed by a human: `2026-05-31`, `31.05.2026`, a serial number, or a date-time
 * (the date part is taken). Returns `YYYY-MM-DD`, null for blank; throws on anything else.
 */
export function parseCalendarDate(value: Cell): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (value < 1 || value > 2958465) throw new Error(`not a date: ${value}`);
    return serialToDate(value);
  }
  const t = String(value).trim();
  if (t === '') return null;
  let m = LOCAL_DATE_TIME.exec(t) ?? ISO_WITH_ZONE.exec(t);
  if (m) {
    const w = toWall(m);
    if (validWall({ ...w, hour: 0, minute: 0, second: 0 })) return `${m[1]}-${m[2]}-${m[3]}`;
  }
  m = DOTTED_DATE.exec(t);
  if (m) {
    const w = { year: +m[3], month: +m[2], day: +m[1], hour: 0, minute: 0, second: 0 };
    if (validWall(w)) return `${m[3]}-${pad(+m[2])}-${pad(+m[1])}`;
  }
  throw new Error(`not a date: "${t}" (expected YYYY-MM-DD or DD.MM.YYYY)`);
}

const endOfDayCache = new Map<string, number>();

/** First instant after the deadline day in `timeZone`: completion at or after this is late. */
export function endOfDayExclusive(date: string, timeZone: string): number {
  // Called once per row with a handful of distinct deadlines: memoised.
  const key = `${date}|${timeZone}`;
  let end = endOfDayCache.get(key);
  if (end === undefined) {
    end = computeEndOfDay(date, timeZone);
    if (endOfDayCache.size > 10_000) endOfDayCache.clear();
    endOfDayCache.set(key, end);
  }
  return end;
}

function computeEndOfDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return zonedTimeToUtc(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    timeZone,
  );
}

export { DAY_MS };
