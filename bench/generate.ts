/** A realistic synthetic export: learners × courses with the mix seen in the real 2020 file. */
import fs from 'node:fs';
import path from 'node:path';
import type { Row } from '../shared/src/cells';
import { COURSES_TAB, ROSTER_TAB, headersOf } from '../shared/src/layout';

const HEADER =
  'Name,Email,External Id,Course,Course ID,Course Slug,University,Enrollment Time,Class Start Time,Last Course Activity Time,Overall Progress,Estimated Learning Hours,Completed,Removed From Program,Program Slug,Program Name,Enrollment Source,Completion Time,Course Grade';

/** Deterministic PRNG so every run benchmarks the same file. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export const COURSE_COUNT = 40;
const slug = (c: number) => `course-${c}`;
const iso = (ms: number) => new Date(ms).toISOString();

export function generateExport(file: string, rows: number): void {
  const rand = rng(42);
  const out = fs.openSync(file, 'w');
  const lines: string[] = [HEADER];
  const start = Date.UTC(2026, 0, 10);
  for (let i = 0; i < rows; i++) {
    const learner = Math.floor(i / 4);
    const c = (learner * 7 + (i % 4) * 3) % COURSE_COUNT;
    const enrolled = start + Math.floor(rand() * 30 * 86400e3);
    const r = rand();
    let progress: number;
    let completed = false;
    let last = '';
    let completion = '';
    if (r < 0.2) progress = 0;
    else if (r < 0.6) {
      progress = Math.round(rand() * 9900) / 100;
      last = iso(enrolled + rand() * 60 * 86400e3);
    } else {
      completed = true;
      progress = rand() < 0.11 ? Math.round(rand() * 5900) / 100 : 100;
      const done = enrolled + rand() * 120 * 86400e3;
      last = iso(done);
      completion = iso(done);
    }
    const removed = rand() < 0.02 ? 'Yes' : 'No';
    const name = i % 9 === 0 ? '"Қасымова, Әлия"' : '';
    lines.push(
      `${name},l${learner}@uni.kz,S${learner},Course ${c},cid${c},${slug(c)},KZ University,${iso(enrolled)},${iso(enrolled)},${last},${progress},${(progress / 10).toFixed(2)},${completed ? 'Yes' : 'No'},${removed},prog,Program,,${completion},${completed ? Math.round(60 + rand() * 40) : 0}`,
    );
    if (lines.length >= 5000) {
      fs.writeSync(out, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(out, `${lines.join('\n')}\n`);
  fs.closeSync(out);
}

/** Roster (90 % of learners) and a catalog with deadlines, as the CET would have them. */
export function rosterAndCatalog(rows: number): {
  roster: { header: string[]; rows: Row[] };
  courses: { header: string[]; rows: Row[] };
} {
  const learners = Math.ceil(rows / 4);
  const roster: Row[] = [];
  for (let l = 0; l < learners; l++)
    if (l % 10) roster.push([`l${l}@uni.kz`, `Learner ${l}`, `S${l}`, '', `School ${l % 8}`, `G-${l % 40}`, '2026']);
  const courses: Row[] = [];
  for (let c = 0; c < COURSE_COUNT; c++)
    courses.push([
      slug(c),
      `Course ${c}`,
      `Discipline ${c % 12}`,
      c % 3 ? 'partial' : 'full',
      `mentor${c % 9}@uni.kz`,
      c % 5 ? '2026-04-30' : '',
      3,
    ]);
  return {
    roster: { header: headersOf(ROSTER_TAB), rows: roster },
    courses: { header: headersOf(COURSES_TAB), rows: courses },
  };
}

export function ensureExport(dir: string, rows: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `export-${rows}.csv`);
  if (!fs.existsSync(file)) generateExport(file, rows);
  return file;
}
