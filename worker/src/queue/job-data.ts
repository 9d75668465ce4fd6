/**
 * What a sync job carries: where to read and where to write — paths and ids only, never learner
 * data (Redis, the dashboard and logs all see job data). `.strict()` refuses anything extra.
 */
import path from 'node:path';
import { z } from 'zod';
import type { SyncCounts } from '../sync/run-sync';
import { InputError } from '../../../shared/src/errors';

/** Spreadsheet ids are URL-safe base64-ish; refusing anything else keeps ids out of log injection. */
const SPREADSHEET_ID = /^[A-Za-z0-9_-]{1,200}$/;

export const SyncTargetSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('xlsx'),
      path: z
        .string()
        .min(1)
        .refine((p) => path.isAbsolute(p), { message: 'must be an absolute path' }),
    })
    .strict(),
  z
    .object({ kind: z.literal('sheets'), spreadsheetId: z.string().regex(SPREADSHEET_ID, 'not a spreadsheet id') })
    .strict(),
]);

export const SyncSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('export'),
      path: z
        .string()
        .min(1)
        .refine((p) => path.isAbsolute(p), { message: 'must be an absolute path' }),
    })
    .strict(),
  z
    .object({
      kind: z.literal('coursera-api'),
      programId: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^\s]+$/, 'no spaces'),
    })
    .strict(),
]);

export const SyncJobDataSchema = z
  .object({
    v: z.literal(1),
    source: SyncSourceSchema,
    target: SyncTargetSchema,
    /** Reproducible runs: the as-of date/instant (default: when the job runs). */
    asOf: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
        'not a date (use YYYY-MM-DD or an ISO date-time)',
      )
      .optional(),
  })
  .strict();

export type SyncTarget = z.infer<typeof SyncTargetSchema>;
export type SyncSource = z.infer<typeof SyncSourceSchema>;
export type SyncJobData = z.infer<typeof SyncJobDataSchema>;

/** What a finished job reports (counts only: the dashboard shows it to every admin). */
export interface SyncJobResult extends SyncCounts {
  readonly target: string;
  /** Epoch ms the target lock was held from/to: lets anyone check that syncs of a target never overlapped. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly worker: string;
}

export class JobDataError extends InputError {}

export function parseJobData(data: unknown): SyncJobData {
  const parsed = SyncJobDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new JobDataError(
      `bad job data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** One key per workbook: what deduplication and the per-target lock are keyed by. */
export function targetKey(target: SyncTarget): string {
  return target.kind === 'xlsx' ? `xlsx:${path.resolve(target.path)}` : `sheets:${target.spreadsheetId}`;
}

export function describeSource(source: SyncSource): string {
  return source.kind === 'export' ? `export ${path.basename(source.path)}` : `Coursera API program ${source.programId}`;
}
