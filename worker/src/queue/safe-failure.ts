/**
 * What may leave a sync for Redis (`failedReason`, `stacktrace`, the `failed` event) and the logs:
 * the failure's kind and a message that names the file, tab, row and column — never a cell value.
 *
 * Why at the boundary rather than in every message: the readers and rules (shared/src) are also
 * used by the CLI, where quoting the bad cell back to the person who typed it is the helpful
 * thing to do; and third-party messages (csv-parse's `value is "…"`, exceljs, zod) are not ours to
 * shape. So the job processor passes every error through `safeFailure` and throws a *fresh* error
 * carrying only the safe message (the original's stack would repeat its message).
 *
 * The rule, in order:
 *  1. Errors we know build their message from file names, tab/row/column positions and our own
 *     column/setting names (export, Settings, Courses, job data, as-of, backend and lock errors,
 *     HTTP API errors, Node file-system errors): kept, but every double-quoted span — "…", “…”,
 *     «…» — is replaced by "…" unless it is a name the program itself defines (a layout tab or
 *     column header, a setting name, an export column alias, a pick-list choice). Values are only
 *     ever quoted in these messages, so this removes them and keeps "lacks column "Course Slug"".
 *  2. Any other error (a TypeError deep in exceljs, a message we did not write): its message is
 *     dropped; the reason says what kind of error it was and where it was thrown (source file and
 *     line of the code — not of the data), which is what a developer needs to find it.
 */
import path from 'node:path';
import { EXPORT_COLUMNS } from '../../../shared/src/export-record';
import { InputError } from '../../../shared/src/errors';
import { LANGUAGES } from '../../../shared/src/languages';
import { LAYOUT } from '../../../shared/src/layout';
import { SETTING_ROWS } from '../../../shared/src/setting-rows';
import { WorkbookLockedError } from '../adapters/xlsx-workbook';
import { classifyFailure, type Failure } from './failures';

const REPO = path.resolve(__dirname, '../../..');

/** Names the program defines: quoting one of these in a message reveals nothing about a learner. */
const KNOWN_NAMES: ReadonlySet<string> = new Set(
  [
    ...LAYOUT.flatMap((t) => [
      t.name,
      ...t.columns.map((c) => c.header),
      ...t.columns.flatMap((c) => (c.validation?.kind === 'list' ? c.validation.values : [])),
    ]),
    ...Object.values(SETTING_ROWS).map((row) => row.header),
    ...Object.values(EXPORT_COLUMNS).flat(),
    ...LANGUAGES,
    'Course Activity',
    'Learner Activity',
    'CSV UTF-8',
  ].map((s) => s.trim().toLowerCase()),
);

const QUOTED = /"([^"\n]*)"|“([^”\n]*)”|«([^»\n]*)»/g;

/** Rule 1: every quoted span that is not one of our own names becomes "…". */
export function redactQuoted(message: string): string {
  return message.replace(QUOTED, (whole, a?: string, b?: string, c?: string) => {
    const inner = (a ?? b ?? c ?? '').trim().toLowerCase();
    return KNOWN_NAMES.has(inner) ? whole : '"…"';
  });
}

/** Messages of plain `Error`s thrown by our own .xlsx adapter (no class of their own). */
const OWN_PLAIN_MESSAGES = [/: tab "[^"]*" does not exist$/];

function isOwnError(error: Error): boolean {
  // Input errors (export, Settings, Courses, job data, as-of, workbook file…) and the lock.
  if (error instanceof InputError || error instanceof WorkbookLockedError) return true;
  const e = error as Error & { status?: unknown; permanent?: unknown; code?: unknown; syscall?: unknown };
  // Our backend errors (BackendUnavailableError, the target/source checks) and the Sheets/Coursera
  // API errors mark themselves; Node's file-system errors carry a code and a syscall.
  if (typeof e.permanent === 'boolean' || typeof e.status === 'number') return true;
  if (typeof e.code === 'string' && typeof e.syscall === 'string') return true;
  return error.constructor === Error && OWN_PLAIN_MESSAGES.some((re) => re.test(error.message));
}

/** The first frame of the stack as `file:line` (relative to the repository), or the package it is in. */
function thrownAt(error: Error): string | undefined {
  const frames = (error.stack ?? '').split('\n').slice(1);
  for (const f of frames) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^():]+):(\d+):\d+\)?\s*$/.exec(f);
    if (!m) continue;
    const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(m[1]);
    if (pkg) return `${pkg[1].replace(/\\/g, '/')} (${path.basename(m[1])}:${m[2]})`;
    return `${path.relative(REPO, m[1])}:${m[2]}`;
  }
  return undefined;
}

/** A message safe to store in Redis and to log (see the rule above). */
export function safeMessage(error: unknown): string {
  if (!(error instanceof Error))
    return `unexpected failure (${typeof error} thrown; not shown: it may quote workbook cells)`;
  if (isOwnError(error)) return redactQuoted(error.message);
  const at = thrownAt(error);
  return `unexpected ${error.name || 'Error'}${at ? ` in ${at}` : ''} (its message is not shown: it may quote workbook cells)`;
}

/** `classifyFailure`, with the message replaced by the safe one. */
export function safeFailure(error: unknown): Failure {
  return { ...classifyFailure(error), message: safeMessage(error) };
}
