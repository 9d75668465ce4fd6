/**
 * Every `mooc-desk` command, by name, with the line the help shows. A command's module is loaded
 * only when it runs: `sync` should not pay for bullmq, express or googleapis.
 */
import type { Command } from './io';

export interface CommandEntry {
  readonly describe: string;
  readonly run: Command;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy, but each path is a literal a bundler can follow */
const lazy =
  (load: () => unknown): Command =>
  (args, io) =>
    (load() as { run: Command }).run(args, io);

export const COMMANDS = {
  init: {
    describe: 'a new progress workbook from the template (never overwrites)',
    run: lazy(() => require('./commands/init')),
  },
  sync: {
    describe: 'sync a Coursera export (.csv, .xlsx, .zip), or --api-program ID through the API, into the workbook',
    run: lazy(() => require('./commands/sync')),
  },
  demo: {
    describe: 'sync the sample export into demo/progress.xlsx and print the summary',
    run: lazy(() => require('./commands/demo')),
  },
  eligibility: {
    describe: 'check the Candidates tab: one eligibility code per candidate',
    run: lazy(() => require('./commands/eligibility')),
  },
  enroll: {
    describe: 'enroll the eligible candidates into a cohort and write the enrollment list',
    run: lazy(() => require('./commands/enroll')),
  },
  replace: {
    describe: 'replace an enrolled participant with another candidate',
    run: lazy(() => require('./commands/replace')),
  },
  unenroll: {
    describe: 'undo an enrollment made by mistake (admins, audited)',
    run: lazy(() => require('./commands/unenroll')),
  },
  approve: {
    describe: "approve a student's grade in a course (mentor or admin)",
    run: lazy(() => require('./commands/approve')),
  },
  revoke: { describe: 'revoke an approval, with a written reason', run: lazy(() => require('./commands/revoke')) },
  report: {
    describe:
      "report recognition: the registrar's credit recognition report; report sessions: the partners' report of facilitated groups; report compare: per-school change between two dates",
    run: lazy(() => require('./commands/report')),
  },
  attendance: {
    describe: 'attendance import: a Zoom or Google Meet report into the Attendance tab',
    run: lazy(() => require('./commands/attendance')),
  },
  audit: { describe: "audit verify: check the Audit tab's hash chain", run: lazy(() => require('./commands/audit')) },
  worker: { describe: 'run BullMQ sync jobs until SIGTERM/SIGINT', run: lazy(() => require('./commands/worker')) },
  enqueue: {
    describe: 'queue one sync job (export file or Coursera API → .xlsx or Google Sheet)',
    run: lazy(() => require('./commands/enqueue')),
  },
  schedule: { describe: 'add, change or remove a repeating sync job', run: lazy(() => require('./commands/schedule')) },
  dashboard: {
    describe: 'the bull-board dashboard of the queues, behind basic auth',
    run: lazy(() => require('./commands/dashboard')),
  },
} as const satisfies Record<string, CommandEntry>;
/* eslint-enable @typescript-eslint/no-require-imports */

export type CommandName = keyof typeof COMMANDS;

export const isCommandName = (name: string): name is CommandName =>
  Object.prototype.hasOwnProperty.call(COMMANDS, name);
