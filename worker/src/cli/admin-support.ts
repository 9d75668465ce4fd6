/**
 * What the admin/mentor commands (eligibility, enroll, replace, approve, revoke, report) share:
 * open the workbook under its lock, read one snapshot, turn rule errors into exit codes, write
 * output files atomically. The decisions themselves are the pure functions in shared/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LAYOUT } from '../../../shared/src/layout';
import { isEmptyPlan, type Plan, type Snapshot } from '../../../shared/src/workbook';
import { localized } from '../../../shared/src/i18n/localized-workbook';
import { WorkbookLockedError, XlsxWorkbook, withWorkbookLock } from '../adapters/xlsx-workbook';
import { assertXlsxPackage, checkWorkbookPath } from '../sync/workbook-file';
import { parse, required } from './args';
import { cliErrorFrom } from './exit-codes';
import { CliError, EXIT, print, type CliIo } from './io';

/** Another process holds the workbook: exit 1 with the message (trying again later may work). */
export function lockedError(e: unknown): unknown {
  return e instanceof WorkbookLockedError ? new CliError(e.message, EXIT.failure) : e;
}

export function existingWorkbook(io: CliIo, file: string): string {
  const full = path.resolve(io.cwd, checkWorkbookPath(file));
  if (!fs.existsSync(full))
    throw new CliError(`${file}: no such workbook (create it with mooc-desk init or mooc-desk sync)`, EXIT.usage);
  return full;
}

/**
 * Every workbook command parses the same three flags (`--workbook`, `--at`, `--help`) around its
 * own, prints its help, and needs the workbook to exist; kept here so each command states only
 * what is its own. Returns null when the help was printed (the command then exits 0).
 */
export function parseWorkbookCommand<T extends Parameters<typeof parse>[1]>(
  args: string[],
  io: CliIo,
  options: T,
  usage: string,
  help: string,
) {
  const { values, positionals } = parse(
    args,
    { ...options, workbook: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean' } } as const,
    usage,
  );
  const common = values as { workbook?: string; help?: boolean };
  if (common.help) return (print(io, help), null);
  return { values, positionals, file: existingWorkbook(io, required(common.workbook, '--workbook', usage)) };
}

/**
 * Reads every layout tab, lets `decide` compute the plan (pure, may throw a refusal), writes the
 * plan once (atomic) unless it is empty, and returns what `decide` returned. `beforeApply` runs
 * after the decision and before the workbook is written (output files go to temp paths there).
 */
export async function decideAndApply<T extends { plan: Plan }>(
  file: string,
  decide: (snapshot: Snapshot) => T,
  hooks: { beforeApply?: (decided: T) => void | Promise<void> } = {},
): Promise<T> {
  try {
    await assertXlsxPackage(file);
    return await withWorkbookLock(file, async () => {
      const wb = localized(await XlsxWorkbook.open(file));
      const decided = decide(await wb.read(LAYOUT.map((t) => t.name)));
      await hooks.beforeApply?.(decided);
      if (!isEmptyPlan(decided.plan)) await wb.apply(decided.plan);
      return decided;
    });
  } catch (e) {
    throw cliErrorFrom(lockedError(e), '\nNothing was written.');
  }
}

/** Reads a snapshot without writing (reports). */
export async function readSnapshot(file: string): Promise<Snapshot> {
  await assertXlsxPackage(file);
  const wb = localized(await XlsxWorkbook.open(file));
  return wb.read(LAYOUT.map((t) => t.name));
}

/** Writes to a temp file beside the target; `commit()` renames it into place, `discard()` removes it. */
export function stagedFile(target: string, data: string | Buffer): { commit(): void; discard(): void } {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
  } catch (e) {
    throw new CliError(`cannot write ${target}: ${(e as Error).message}`, EXIT.usage);
  }
  return {
    commit: () => fs.renameSync(tmp, target),
    discard: () => fs.rmSync(tmp, { force: true }),
  };
}

/** `--at` (ISO-8601 with zone) for reproducible runs; now otherwise. */
/**
 * One audited action as `--by` at `--at`: the acting person is required (after the request's own
 * flags, so usage errors keep their order), then one locked, atomic decide-and-write.
 */
export function decideAs<T extends { plan: Plan }>(
  file: string,
  values: { readonly by?: string; readonly at?: string },
  usage: string,
  decide: (snapshot: Snapshot, by: string, now: number) => T,
): Promise<T> {
  const by = required(values.by, '--by', usage);
  const now = nowFrom(values.at);
  return decideAndApply(file, (snapshot) => decide(snapshot, by, now));
}

export function nowFrom(at: string | undefined): number {
  if (!at) return Date.now();
  const ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(at.trim()) ? Date.parse(at) : NaN;
  if (Number.isNaN(ms))
    throw new CliError(`--at "${at}" is not an ISO-8601 time with a zone (e.g. 2026-03-02T10:30:00+05:00)`, EXIT.usage);
  return ms;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
