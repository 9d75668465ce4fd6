/**
 * Job → source and target: turns the ids/paths in job data into an ExportBatch and a Workbook.
 * The .xlsx target and export files are built in; the Google Sheets target and the Coursera API
 * source are plugged in by `defaultBackends` (or by tests, pointed at local fake servers).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExportBatch } from '../../../shared/src/sync-plan';
import type { Workbook } from '../../../shared/src/workbook';
import { XlsxWorkbook, withWorkbookLock } from '../adapters/xlsx-workbook';
import { readExportFile } from '../sources/export-file';
import type { ReadProgress } from '../../../shared/src/export-collector';
import type { SyncSource, SyncTarget } from './job-data';
import type { SheetsWorkbookOptions } from '../adapters/sheets-workbook';
import type { SheetsCredentials } from '../adapters/google-auth';
import { courseraConfigFromEnv, readCourseraApi, type CourseraApiConfig } from '../sources/coursera-api';

export type ProgressFn = (p: ReadProgress) => void;

/** Runs `fn` with the target's workbook open (and, for files, locked); the adapter owns cleanup. */
export type TargetRunner = <T>(target: SyncTarget, fn: (workbook: Workbook) => Promise<T>) => Promise<T>;
export type SourceReader = (source: SyncSource, onProgress: ProgressFn) => Promise<ExportBatch>;

/** Opens a Google Sheets spreadsheet by id as a Workbook. */
export type SheetsOpener = (spreadsheetId: string) => Promise<Workbook>;
/** Reads one Coursera program's enrollment report through the API. */
export type CourseraApiReader = (programId: string, onProgress: ProgressFn) => Promise<ExportBatch>;

export interface Backends {
  readonly runTarget: TargetRunner;
  readonly readSource: SourceReader;
  /** How to build the same backends in a sync thread (plain data); absent when they hold in-process objects. */
  readonly recipe?: BackendsRecipe;
}

export type BackendsRecipe =
  | { readonly kind: 'built-in' }
  | {
      readonly kind: 'env';
      readonly env: Record<string, string>;
      readonly options: EnvBackendOptions & { sheetsCallRetries?: number };
    };

/** The backends a recipe describes (in a sync thread). */
export function backendsFromRecipe(recipe: BackendsRecipe): Backends {
  return recipe.kind === 'built-in' ? makeBackends() : backendsFromEnv(recipe.env, recipe.options);
}

/** A backend this build was configured without (the message tells the admin what is missing). */
export class BackendUnavailableError extends Error {
  readonly permanent = true;
}

/**
 * A job that can never succeed as it stands (the .xlsx target's folder does not exist, the export
 * file cannot be read): retrying would only repeat the failure, so it fails at once.
 */
export class UnusableJobError extends Error {
  readonly permanent = true;
}

/** Node's errors for a path that is missing or that this process may not read. */
const UNREADABLE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'ELOOP', 'ENAMETOOLONG']);

function checkTargetFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new UnusableJobError(
      `${folder}: no such folder for the workbook ${path.basename(file)} (create it, or fix the --workbook path)`,
    );
  }
  if (!stat.isDirectory())
    throw new UnusableJobError(`${folder}: not a folder, cannot hold the workbook ${path.basename(file)}`);
}

async function readExportOrFail(file: string, onProgress: ProgressFn): Promise<ExportBatch> {
  try {
    return await readExportFile(file, { onProgress });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && UNREADABLE.has(code)) throw new UnusableJobError(`${file}: cannot read the export (${code})`);
    throw e;
  }
}

export function makeBackends(
  options: { sheets?: SheetsOpener; courseraApi?: CourseraApiReader } = {},
  recipe?: BackendsRecipe,
): Backends {
  return {
    recipe: recipe ?? (!options.sheets && !options.courseraApi ? { kind: 'built-in' } : undefined),
    async runTarget(target, fn) {
      if (target.kind === 'xlsx') {
        checkTargetFolder(target.path);
        return withWorkbookLock(target.path, async () =>
          fn(await XlsxWorkbook.open(target.path, { create: !fs.existsSync(target.path) })),
        );
      }
      if (!options.sheets) throw new BackendUnavailableError('Google Sheets targets are not configured in this worker');
      return fn(await options.sheets(target.spreadsheetId));
    },
    async readSource(source, onProgress) {
      if (source.kind === 'export') return readExportOrFail(source.path, onProgress);
      if (!options.courseraApi)
        throw new BackendUnavailableError('the Coursera API source is not configured in this worker');
      return options.courseraApi(source.programId, onProgress);
    },
  };
}

type SheetsAuth =
  | { readonly auth: SheetsWorkbookOptions['auth']; readonly serviceAccountEmail?: string }
  | Pick<SheetsCredentials, 'auth' | 'serviceAccountEmail'>;

export interface EnvBackendOptions {
  /** Sheets API root (tests: the local fake server). */
  readonly sheetsRootUrl?: string;
  /** Credentials instead of GOOGLE_APPLICATION_CREDENTIALS (tests: a preset token). */
  readonly sheetsCredentials?: SheetsAuth;
  readonly sheetsOptions?: Partial<SheetsWorkbookOptions>;
  readonly courseraOverrides?: Partial<CourseraApiConfig>;
}

/**
 * The production wiring: Sheets with the service account from GOOGLE_APPLICATION_CREDENTIALS, the
 * Coursera API with COURSERA_* credentials. Both are checked when first needed, so a worker that
 * only serves .xlsx targets needs neither; a missing or bad setting fails that job permanently
 * with the message that says what to fix.
 */
export function backendsFromEnv(
  env: NodeJS.ProcessEnv,
  options: EnvBackendOptions & { sheetsCallRetries?: number } = {},
): Backends {
  let credentials: SheetsAuth | undefined = options.sheetsCredentials;
  const sheets: SheetsOpener = async (spreadsheetId) => {
    // googleapis takes ~1 s to load: only workers that meet a Sheets target pay for it.
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose (see above) */
    const { SheetsWorkbook } = require('../adapters/sheets-workbook') as typeof import('../adapters/sheets-workbook');
    const { serviceAccountFromEnv } = require('../adapters/google-auth') as typeof import('../adapters/google-auth');
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (!credentials) {
      try {
        credentials = serviceAccountFromEnv(env);
      } catch (e) {
        throw new BackendUnavailableError(`Google Sheets: ${(e as Error).message}`);
      }
    }
    return new SheetsWorkbook({
      spreadsheetId,
      auth: credentials.auth,
      serviceAccountEmail: credentials.serviceAccountEmail,
      rootUrl: options.sheetsRootUrl,
      // Retry a little in place; a rate limit that outlasts this pauses the whole queue instead.
      backoff: { retries: options.sheetsCallRetries ?? 2, maxRetryAfterMs: 10_000 },
      ...options.sheetsOptions,
    });
  };
  const courseraApi: CourseraApiReader = async (programId) => {
    let config: CourseraApiConfig;
    try {
      config = courseraConfigFromEnv(env, { ...options.courseraOverrides, programId });
    } catch (e) {
      throw new BackendUnavailableError((e as Error).message);
    }
    return readCourseraApi(config);
  };
  return makeBackends({ sheets, courseraApi }, envRecipe(env, options));
}

/** A recipe when the options are plain data (not, e.g., an injected auth client). */
function envRecipe(
  env: NodeJS.ProcessEnv,
  options: EnvBackendOptions & { sheetsCallRetries?: number },
): BackendsRecipe | undefined {
  if (options.sheetsCredentials) return undefined;
  const plainEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') plainEnv[k] = v;
  try {
    return { kind: 'env', env: plainEnv, options: structuredClone(options) };
  } catch {
    return undefined;
  }
}
