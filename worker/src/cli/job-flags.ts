/** Flags shared by `enqueue` and `schedule`: which source, which target, turned into job data. */
import fs from 'node:fs';
import path from 'node:path';
import { parseSpreadsheetId } from '../adapters/sheets-workbook';
import { redactUrl } from '../queue/connection';
import { SyncJobDataSchema, type SyncJobData, type SyncTarget } from '../queue/job-data';
import { CliError, EXIT } from './io';

export const JOB_FLAGS = {
  export: { type: 'string' },
  'api-program': { type: 'string' },
  workbook: { type: 'string' },
  spreadsheet: { type: 'string' },
  'as-of': { type: 'string' },
} as const;

interface Flags {
  export?: string;
  'api-program'?: string;
  workbook?: string;
  spreadsheet?: string;
  'as-of'?: string;
}

export function targetFromFlags(values: Flags, cwd: string, usage: string): SyncTarget {
  if (!values.workbook === !values.spreadsheet)
    throw new CliError(`give one target: --workbook FILE.xlsx or --spreadsheet ID\n\nUsage: ${usage}`, EXIT.usage);
  if (values.workbook) {
    const file = path.resolve(cwd, values.workbook);
    if (!/\.xlsx$/i.test(file)) throw new CliError(`--workbook ${values.workbook}: expected a .xlsx file`, EXIT.usage);
    return { kind: 'xlsx', path: file };
  }
  return { kind: 'sheets', spreadsheetId: spreadsheetIdFrom(values.spreadsheet!) };
}

/** A pasted URL is read by the Sheets adapter's own parser; a bare id is left to the job schema to check. */
function spreadsheetIdFrom(value: string): string {
  if (!value.includes('/')) return value;
  try {
    return parseSpreadsheetId(value);
  } catch (e) {
    throw new CliError(`--spreadsheet: ${(e as Error).message}`, EXIT.usage);
  }
}

export function jobFromFlags(values: Flags, cwd: string, usage: string): SyncJobData {
  if (!values.export === !values['api-program'])
    throw new CliError(`give one source: --export FILE or --api-program ID\n\nUsage: ${usage}`, EXIT.usage);
  const target = targetFromFlags(values, cwd, usage);
  let source: SyncJobData['source'];
  if (values.export) {
    const file = path.resolve(cwd, values.export);
    // Workers read the file later, maybe on another machine: it must be on storage they share.
    if (!fs.existsSync(file)) throw new CliError(`--export ${values.export}: no such file (${file})`, EXIT.usage);
    source = { kind: 'export', path: file };
  } else source = { kind: 'coursera-api', programId: values['api-program']! };
  const parsed = SyncJobDataSchema.safeParse({
    v: 1,
    source,
    target,
    ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
  });
  if (!parsed.success)
    throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), EXIT.usage);
  return parsed.data;
}

/** Redis unreachable etc.: a message that names the URL (without its password). */
export function redisError(e: unknown, url: string): Error {
  if (e instanceof CliError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|Connection is closed|max retries|connect/i.test(msg)) {
    return new CliError(
      `cannot reach Redis at ${redactUrl(url)} (${msg}); start redis-server or set REDIS_URL`,
      EXIT.failure,
    );
  }
  return e as Error;
}
