/** `mooc-desk attendance import FILE --workbook F.xlsx --session ID [--json]`: a Zoom or Google Meet report into Attendance. */
import path from 'node:path';
import { planAttendanceImport, shownUnmatched } from '../../../../shared/src/facilitated/attendance-import';
import { readAttendanceFile } from '../../sources/attendance-file';
import { decideAndApply, nowFrom, parseWorkbookCommand } from '../admin-support';
import { required } from '../args';
import { cliErrorFrom } from '../exit-codes';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk attendance import REPORT.csv --workbook FILE.xlsx --session ID [--json] [--at TIME]';
const HELP = `${USAGE}

REPORT.csv is a Zoom participants report (with or without the meeting details above it) or a Google
Meet attendance report. Attendees are matched to Participants by e-mail, else by name (Cyrillic and
Latin spellings match). A participant's minutes over all their lines are summed; they are present
when they reach Settings "Present at % of session" of the longest time anyone spent in the meeting.
Members of the session's group who are not in the report are absent; an "excused" mark stays.
Facilitators (Groups "Facilitators", Sessions "Facilitator") are not participants. Attendees who
match nobody are listed here and in "Rejected rows". Importing the same report again changes nothing.
--json prints {session, present, absent, unmatched, updated}.`;

export const run: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h') return (print(io, HELP), EXIT.ok);
  if (sub !== 'import') throw new CliError(`name the action (import)\n\nUsage: ${USAGE}`, EXIT.usage);
  const parsed = parseWorkbookCommand(
    rest,
    io,
    { session: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, positionals, file } = parsed;
  if (positionals.length !== 1) throw new CliError(`name one report file\n\nUsage: ${USAGE}`, EXIT.usage);
  const sessionId = required(values.session, '--session', USAGE);
  const reportPath = path.resolve(io.cwd, positionals[0]);
  const now = nowFrom(values.at);
  let report;
  try {
    report = readAttendanceFile(reportPath, positionals[0]);
  } catch (e) {
    throw cliErrorFrom(e, '\nNothing was written.');
  }
  const { result } = await decideAndApply(file, (snapshot) =>
    planAttendanceImport(snapshot, { file: path.basename(reportPath), sessionId, report, now }),
  );
  const unmatched = result.unmatched.map(shownUnmatched);
  if (values.json) {
    const { session, present, absent, updated } = result;
    print(io, JSON.stringify({ session, present, absent, unmatched, updated }));
    return EXIT.ok;
  }
  const lines = [
    `Session ${result.session} (${report.format}): ${result.present} present · ${result.absent} absent · ${result.updated} attendance row(s) added or changed`,
    `  Session length ${result.sessionMinutes} min (the longest attendee); present from ${Math.round(result.presentFrom * 10) / 10} min`,
  ];
  if (unmatched.length) {
    lines.push(`  ${unmatched.length} attendee(s) match no participant (also in "Rejected rows"):`);
    for (const u of unmatched) lines.push(`    line ${u.lines.join(', ')}: ${u.reason} (${u.minutes} min)`);
  }
  for (const p of result.problems) lines.push(`  Warning: ${p}`);
  print(io, lines.join('\n'));
  return EXIT.ok;
};
