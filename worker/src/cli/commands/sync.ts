/** `mooc-desk sync (EXPORT | --api-program ID) --workbook FILE.xlsx [--as-of DATE] [--json]` */
import path from 'node:path';
import { CourseraApiError } from '../../sources/coursera-api';
import { syncApiProgramIntoXlsx, syncExportIntoXlsx } from '../../sync/sync-xlsx';
import { syncCounts, type RunSyncResult } from '../../sync/run-sync';
import { lockedError } from '../admin-support';
import { checkWorkbookPath } from '../../sync/workbook-file';
import { parse, required } from '../args';
import { cliErrorFrom } from '../exit-codes';
import { CliError, EXIT, print, type CliIo, type Command } from '../io';

const USAGE =
  'mooc-desk sync (EXPORT(.csv|.xlsx|.zip) | --api-program ID) --workbook FILE.xlsx [--as-of YYYY-MM-DD] [--json]';

export const run: Command = async (args, io) => {
  const { values, positionals } = parse(
    args,
    {
      workbook: { type: 'string' },
      'api-program': { type: 'string' },
      'as-of': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const program = values['api-program']?.trim();
  if (values['api-program'] !== undefined && !program)
    throw new CliError(`--api-program needs a program id\n\nUsage: ${USAGE}`, EXIT.usage);
  if (positionals.length !== (program ? 0 : 1))
    throw new CliError(`give exactly one export file, or --api-program ID\n\nUsage: ${USAGE}`, EXIT.usage);
  const given = required(values.workbook, '--workbook', USAGE);
  const workbook = path.resolve(io.cwd, given);
  checkWorkbookPath(workbook, given);
  const bar = !values.json && io.stderr.isTTY && !program ? progressBar(io) : undefined;
  const options = {
    asOf: values['as-of'],
    onProgress: bar,
    env: io.env,
    notice: (m: string) => io.stderr.write(`mooc-desk sync: ${m}\n`),
  };
  let result: RunSyncResult;
  try {
    result = program
      ? await syncApiProgramIntoXlsx(program, workbook, options)
      : await syncExportIntoXlsx(path.resolve(io.cwd, positionals[0]), workbook, options);
  } catch (e) {
    throw cliErrorFrom(apiError(lockedError(e)), '\nThe workbook was not changed.');
  } finally {
    if (bar) io.stderr.write('\r\x1b[K');
  }
  const s = result.stats;
  if (values.json) {
    print(
      io,
      JSON.stringify({
        ...syncCounts(result),
        flags: s.flags,
        statuses: s.statuses,
        coursesWithoutDeadline: s.coursesWithoutDeadline,
        coursesNotInCatalog: s.coursesNotInCatalog,
        rejectedAlreadyLogged: s.rejectedAlreadyLogged,
        duplicateRows: s.duplicateRows,
        rosterWithoutRecord: s.rosterWithoutRecord,
        encoding: s.encoding ?? 'utf-8',
        participantProblems: s.participantProblems ?? [],
      }),
    );
    return EXIT.ok;
  }
  print(io, humanSummary(result, path.relative(io.cwd, workbook) || workbook));
  return EXIT.ok;
};

/** Coursera refusing the credentials, the access or the org is for the admin to fix (2); the rest may pass (1). */
function apiError(e: unknown): unknown {
  if (!(e instanceof CourseraApiError)) return e;
  const fix = e.permanent && e.status !== undefined && e.status >= 400 && e.status < 500;
  return new CliError(`${e.message}\nThe workbook was not changed.`, fix ? EXIT.usage : EXIT.failure);
}

function progressBar(io: CliIo) {
  return (p: { rows: number; bytes: number; totalBytes: number }) => {
    const width = 30;
    const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0;
    const filled = Math.round(frac * width);
    io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(frac * 100)}% ${p.rows} rows`);
  };
}

const list = (items: string[], max = 8) =>
  items.length > max ? `${items.slice(0, max).join(', ')} (+${items.length - max} more)` : items.join(', ');

export function humanSummary(result: RunSyncResult, workbook: string): string {
  const s = result.stats;
  const nonZero = (rec: Record<string, number>) =>
    Object.entries(rec)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(' · ') || 'none';
  const lines = [
    `Synced ${s.source} into ${workbook} in ${(result.durationMs / 1000).toFixed(1)} s`,
    `  Rows read ${s.rowsRead} · rejected ${s.rejected} · inserted ${s.inserted} · updated ${s.updated} · unchanged ${s.unchanged} · cells written ${s.progressCellsWritten}`,
    `  Status:  ${nonZero(s.statuses)}`,
    `  Flags:   ${nonZero(s.flags)}`,
  ];
  if (s.encoding)
    lines.push(
      `  Read as ${s.encoding === 'windows-1251' ? 'Windows-1251' : s.encoding}: the file is not UTF-8 (check the names; in Excel, save as "CSV UTF-8" to be sure).`,
    );
  if (s.rosterWithoutRecord)
    lines.push(
      `  ${s.rosterWithoutRecord} rostered learner(s) with no Coursera record yet: counted as not started (Progress flag NO_COURSERA_RECORD).`,
    );
  if (s.rejected && s.rejectedAlreadyLogged)
    lines.push(
      `  ${s.rejected} row(s) rejected, already in the "Rejected rows" tab from an earlier sync of this file (same SHA-256).`,
    );
  else if (s.rejected)
    lines.push(`  ${s.rejected} row(s) rejected: see the "Rejected rows" tab for line numbers and reasons.`);
  for (const d of s.duplicateRows.slice(0, 8)) {
    const rows = `${d.rows.slice(0, -1).join(', ')} and ${d.rows[d.rows.length - 1]}`;
    lines.push(
      `  Warning: ${d.email} · ${d.slug} is in Progress rows ${rows} (copied by hand?): only row ${d.rows[0]} is updated and counted; delete the copies.`,
    );
  }
  if (s.duplicateRows.length > 8)
    lines.push(`  … and ${s.duplicateRows.length - 8} more copied Progress rows (see --json).`);
  if (s.coursesWithoutDeadline.length)
    lines.push(
      `  No deadline for ${s.coursesWithoutDeadline.length} course(s), so no LATE/OVERDUE for them: ${list(s.coursesWithoutDeadline)}`,
    );
  if (s.coursesNotInCatalog.length) lines.push(`  Not in the Courses tab: ${list(s.coursesNotInCatalog)}`);
  for (const p of s.participantProblems ?? []) lines.push(`  Warning: ${p}`);
  return lines.join('\n');
}
