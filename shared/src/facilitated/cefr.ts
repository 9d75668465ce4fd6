/**
 * The CEFR level from an EF SET score (0–100), on EF's published bands:
 * 1–30 A1 · 31–40 A2 · 41–50 B1 · 51–60 B2 · 61–70 C1 · 71–100 C2.
 * EF SET never reports 0 for a finished test, so a 0 means "no valid result" (the test was not
 * taken or not finished, which is how people type it): no level, like a blank cell, and the level
 * spread counts it under "No score". Anything else — not a whole number, below 0, above 100 — is
 * an error on that row, never a guessed level.
 */
import { z } from 'zod';
import { cellNumber, cellText, isBlank, type Cell } from '../cells';
import type { CEFR_LEVELS } from '../layout';

export type CefrLevel = (typeof CEFR_LEVELS)[number];

/** Upper bound (inclusive) of each band, lowest first. */
const BANDS: ReadonlyArray<readonly [number, CefrLevel]> = [
  [30, 'A1'],
  [40, 'A2'],
  [50, 'B1'],
  [60, 'B2'],
  [70, 'C1'],
  [100, 'C2'],
];

const Score = z.number().int('a whole number').min(0, 'at least 0').max(100, 'at most 100');

export type CefrResult =
  | { readonly kind: 'level'; readonly level: CefrLevel; readonly score: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly message: string };

/** The level of a score cell: `none` for blank or 0, `invalid` with the reason for anything out of range. */
export function cefrFromScore(cell: Cell | undefined): CefrResult {
  if (isBlank(cell ?? null)) return { kind: 'none' };
  const n = cellNumber(cell);
  if (n === null) return { kind: 'invalid', message: `"${cellText(cell)}" is not a number (EF SET scores are 0–100)` };
  const parsed = Score.safeParse(n);
  if (!parsed.success)
    return { kind: 'invalid', message: `${n} is not an EF SET score: ${parsed.error.issues[0].message} (0–100)` };
  if (n === 0) return { kind: 'none' };
  const level = BANDS.find(([max]) => n <= max)![1];
  return { kind: 'level', level, score: n };
}
