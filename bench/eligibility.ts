/**
 * Eligibility at scale: 10 000 candidates against 100 000 history rows (a realistic mix of new
 * students, prior participants by IIN / e-mail / student ID, transliterated possible matches and
 * bad data), timed through the same pure function the CLI and the add-on call.
 */
import type { Row } from '../shared/src/cells';
import { checkEligibility } from '../shared/src/eligibility/check';
import { iinCheckDigit } from '../shared/src/iin';
import { CANDIDATES_TAB, headersOf, PARTICIPANTS_HISTORY_TAB } from '../shared/src/layout';
import type { Snapshot } from '../shared/src/workbook';

// Pairs of Cyrillic and passport spellings; names are built from them so the transliteration is exercised.
const FIRST: readonly [string, string][] = [
  ['Айгерім', 'Aigerim'],
  ['Жанар', 'Zhanar'],
  ['Нұрсұлтан', 'Nursultan'],
  ['Ерлан', 'Yerlan'],
  ['Дәулет', 'Daulet'],
  ['Ғалымжан', 'Galymzhan'],
  ['Асель', 'Asel'],
  ['Ұлжан', 'Uljan'],
  ['Аңсар', 'Ansar'],
  ['Ксения', 'Kseniya'],
  ['Артём', 'Artem'],
  ['Баһадүр', 'Bahadur'],
  ['Шынар', 'Shynar'],
  ['Әсем', 'Assem'],
  ['Қанат', 'Kanat'],
  ['Мөлдір', 'Moldir'],
  ['Арман', 'Arman'],
  ['Динара', 'Dinara'],
  ['Ержан', 'Yerzhan'],
  ['Гүлназ', 'Gulnaz'],
  ['Тимур', 'Timur'],
  ['Камила', 'Kamila'],
  ['Санжар', 'Sanzhar'],
  ['Аружан', 'Aruzhan'],
  ['Бекзат', 'Bekzat'],
  ['Томирис', 'Tomiris'],
  ['Алихан', 'Alikhan'],
  ['Жансая', 'Zhansaya'],
  ['Мирас', 'Miras'],
  ['Інкәр', 'Inkar'],
];
const LAST_ROOTS: readonly [string, string][] = [
  ['Әли', 'Ali'],
  ['Қасым', 'Kassym'],
  ['Ахмет', 'Akhmet'],
  ['Өмірзақ', 'Omirzak'],
  ['Шөкен', 'Shoken'],
  ['Төлеу', 'Toleu'],
  ['Үсен', 'Usen'],
  ['Ілияс', 'Iliyas'],
  ['Щербак', 'Shcherbak'],
  ['Нұрлан', 'Nurlan'],
  ['Жұмабай', 'Zhumabay'],
  ['Сейіт', 'Seit'],
  ['Байжан', 'Baizhan'],
  ['Есен', 'Yessen'],
  ['Мұқан', 'Mukan'],
  ['Тоқтар', 'Toktar'],
  ['Серік', 'Serik'],
  ['Оспан', 'Ospan'],
  ['Иман', 'Iman'],
  ['Дүйсен', 'Duisen'],
  ['Құдайберген', 'Kudaibergen'],
  ['Сәрсен', 'Sarsen'],
  ['Рахым', 'Rakhym'],
  ['Ғабит', 'Gabit'],
];
const LAST_ENDS: readonly [string, string][] = [
  ['ов', 'ov'],
  ['ова', 'ova'],
  ['ев', 'yev'],
  ['ева', 'yeva'],
  ['бек', 'bek'],
  ['ұлы', 'uly'],
];

/** The Cyrillic spelling of a generated Latin name (surname first, as school lists write it). */
function cyrillicOf(latin: string): string {
  const [first, last] = latin.split(' ');
  const f = FIRST.find(([, lat]) => lat === first)![0];
  for (const [rc, rl] of LAST_ROOTS) for (const [ec, el] of LAST_ENDS) if (rl + el === last) return `${rc}${ec} ${f}`;
  throw new Error(latin);
}

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function iin(rand: () => number): string {
  for (;;) {
    const year = 1996 + Math.floor(rand() * 12);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const century = year >= 2000 ? 5 : 3;
    const first11 = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${century + Math.floor(rand() * 2)}${String(Math.floor(rand() * 10000)).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null) return first11 + check;
  }
}

/** Same birth date, another serial: what a second IIN of a namesake (or a typo) looks like. */
function sameBirthOther(iinText: string, rand: () => number): string {
  for (;;) {
    const first11 = `${iinText.slice(0, 7)}${String(Math.floor(rand() * 10000)).padStart(4, '0')}`;
    const check = iinCheckDigit(first11);
    if (check !== null && first11 + check !== iinText) return first11 + check;
  }
}

export function generate(candidates = 10_000, history = 100_000): Snapshot {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const hHeader = headersOf(PARTICIPANTS_HISTORY_TAB);
  const hRows: Row[] = [];
  for (let i = 0; i < history; i++) {
    const [f, l, e] = [pick(FIRST), pick(LAST_ROOTS), pick(LAST_ENDS)];
    // Cohort, IIN, Email, Student ID, Full name, School
    hRows.push([
      `${2018 + (i % 8)} ${i % 2 ? 'Fall' : 'Spring'}`,
      iin(rand),
      `h${i}@alumni.kz`,
      `H${i}`,
      `${f[1]} ${l[1]}${e[1]}`,
      `School ${i % 40}`,
    ]);
  }
  const cHeader = headersOf(CANDIDATES_TAB);
  const cRows: Row[] = [];
  for (let i = 0; i < candidates; i++) {
    const [f, l, e] = [pick(FIRST), pick(LAST_ROOTS), pick(LAST_ENDS)];
    let rowIin = iin(rand);
    let email = `c${i}@uni.kz`;
    let name = `${l[0]}${e[0]} ${f[0]}`;
    let sid = `C${i}`;
    let school = `School ${i % 40}`;
    const r = rand();
    const h = hRows[Math.floor(rand() * hRows.length)];
    if (r < 0.05)
      rowIin = h[1] as string; // prior by IIN
    else if (r < 0.07)
      email = (h[2] as string).toUpperCase(); // prior by e-mail
    else if (r < 0.08)
      [school, sid] = [h[5] as string, h[3] as string]; // prior by student ID
    else if (r < 0.09)
      [rowIin, name] = [sameBirthOther(h[1] as string, rand), cyrillicOf(String(h[4]))]; // possible match: the history name in Cyrillic, other IIN
    else if (r < 0.1) rowIin = rowIin.slice(0, 11) + ((Number(rowIin[11]) + 1) % 10); // bad checksum
    const status = rand() < 0.03 ? pick(['Expelled', 'Dropping out', 'Academic leave']) : 'Active';
    // School, Student ID, IIN, Full name, Email, Group, Year, School status, Match decision, Eligibility, Eligibility detail, Checked at
    cRows.push([school, sid, rowIin, name, email, `G-${i % 30}`, 1 + (i % 4), status, null, null, null, null]);
  }
  return {
    Settings: { name: 'Settings', header: ['Setting', 'Value'], rows: [['Cohort', '2026 Spring']] },
    Candidates: { name: 'Candidates', header: cHeader, rows: cRows },
    'Participants history': { name: 'Participants history', header: hHeader, rows: hRows },
  };
}

export async function benchEligibility(): Promise<Record<string, number | string>> {
  const snapshot = generate();
  const t0 = performance.now();
  const first = checkEligibility(snapshot, { now: Date.now() });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  checkEligibility(snapshot, { now: Date.now() });
  const warmMs = performance.now() - t1;
  const counts = Object.entries(first.result.counts)
    .filter(([, n]) => n)
    .map(([k, n]) => `${k}=${n}`)
    .join(', ');
  return {
    candidates: first.result.checked,
    'history rows': snapshot['Participants history']!.rows.length,
    'check + plan (cold) ms': Math.round(ms),
    'check + plan (warm) ms': Math.round(warmMs),
    'cells planned': first.result.cellsWritten,
    counts,
    target: `${ms < 1000 ? 'met' : 'NOT met'} (well under 1 s for 10k × 100k, cold run)`,
  };
}

if (require.main === module) {
  benchEligibility()
    .then((r) => console.log(r))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
