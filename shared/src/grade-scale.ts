/**
 * The point-rating letter scale, as data: the `Grade scale` tab (seeded with the standard
 * Kazakhstan scale, STANDARD_GRADE_SCALE in layout.ts), or the standard scale when the tab is missing.
 *
 * Rounding — decided once, here: points are whole numbers. A fractional percentage is rounded
 * half up to a whole number before the lookup, so 94.5 → 95 → A and 94.49 → 94 → A-; 89.5 → 90
 * → A-; 59.5 → 60 → C-. (Half up, not banker's rounding: a student exactly on the half gets the
 * higher mark, which is how registrars round a point-rating score.) `Course grade %` rounded this
 * way is also the default `Points` of an approval. The scale's ranges are whole-number, inclusive
 * and must cover 0–100 with no gap or overlap; a tab that does not is refused with the row named.
 */
import { z } from 'zod';
import { cellNumber, cellText, isBlank, type Cell } from './cells';
import { GRADE_SCALE_TAB, indexColumns, STANDARD_GRADE_SCALE } from './layout';
import type { TabSnapshot } from './workbook';
import { InputError } from './errors';

export const GradeBandSchema = z.object({
  letter: z.string().min(1, 'Letter is blank'),
  gpa: z.number().min(0).max(5),
  min: z.number().int('Min % must be a whole number').min(0).max(100),
  max: z.number().int('Max % must be a whole number').min(0).max(100),
  traditional: z.string(),
});
export type GradeBand = z.infer<typeof GradeBandSchema>;

export class GradeScaleError extends InputError {}

/** Half up to a whole number; the epsilon lets float noise such as 18.9 / 0.2 = 94.49999999999999 count as the 94.5 it means. */
export function roundPoints(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}

export const STANDARD_SCALE: readonly GradeBand[] = STANDARD_GRADE_SCALE.map(
  ([letter, gpa, min, max, traditional]) => ({ letter, gpa, min, max, traditional }),
);

export function readGradeScale(tab: TabSnapshot | undefined): GradeBand[] {
  if (!tab) return [...STANDARD_SCALE];
  const idx = indexColumns(GRADE_SCALE_TAB, tab.header);
  const missing = ['letter', 'gpa', 'min', 'max'].filter((k) => idx[k] === -1);
  if (missing.length)
    throw new GradeScaleError(
      `Grade scale tab: missing column(s) ${missing.map((k) => GRADE_SCALE_TAB.columns.find((c) => c.key === k)!.header).join(', ')}`,
    );
  const bands: GradeBand[] = [];
  tab.rows.forEach((r, i) => {
    const get = (k: string): Cell => (idx[k] >= 0 ? (r[idx[k]] ?? null) : null);
    if (['letter', 'gpa', 'min', 'max'].every((k) => isBlank(get(k)))) return;
    const parsed = GradeBandSchema.safeParse({
      letter: cellText(get('letter')),
      gpa: cellNumber(get('gpa')) ?? NaN,
      min: cellNumber(get('min')) ?? NaN,
      max: cellNumber(get('max')) ?? NaN,
      traditional: cellText(get('traditional')),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new GradeScaleError(
        `Grade scale tab, row ${i + 2}: ${String(issue.path[0] ?? '')} ${issue.message}`.replace(/\s+/g, ' '),
      );
    }
    if (parsed.data.min > parsed.data.max)
      throw new GradeScaleError(
        `Grade scale tab, row ${i + 2}: Min % ${parsed.data.min} is above Max % ${parsed.data.max}`,
      );
    bands.push(parsed.data);
  });
  // Every whole point 0..100 in exactly one band.
  const sorted = [...bands].sort((a, b) => a.min - b.min);
  let next = 0;
  for (const b of sorted) {
    if (b.min > next) throw new GradeScaleError(`Grade scale tab: no letter for ${next}–${b.min - 1} points`);
    if (b.min < next)
      throw new GradeScaleError(`Grade scale tab: ${b.letter} (${b.min}–${b.max}) overlaps another letter at ${b.min}`);
    next = b.max + 1;
  }
  if (next !== 101) throw new GradeScaleError(`Grade scale tab: no letter for ${next}–100 points`);
  return sorted.reverse();
}

/** The band for a score (rounded half up first). Throws for a score outside 0–100. */
export function bandFor(scale: readonly GradeBand[], points: number): GradeBand {
  const p = roundPoints(points);
  const band = scale.find((b) => p >= b.min && p <= b.max);
  if (!band) throw new GradeScaleError(`no letter for ${points} points (the scale covers 0–100)`);
  return band;
}

export function bandByLetter(scale: readonly GradeBand[], letter: string): GradeBand | undefined {
  const l = letter.trim().toUpperCase();
  return scale.find((b) => b.letter.toUpperCase() === l);
}
