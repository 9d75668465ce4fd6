/** `mooc-desk unenroll --workbook F.xlsx --email E --reason TEXT --by EMAIL`: undo an enrollment made by mistake. */
import { planUnenroll } from '../../../../shared/src/enrollment/unenroll';
import { decideAs, parseWorkbookCommand } from '../admin-support';
import { required } from '../args';
import { EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk unenroll --workbook FILE.xlsx --email STUDENT --reason TEXT --by EMAIL';
const HELP = `${USAGE}

Admins only. Removes the student's Roster row and their Participants history rows of the current
cohort (Settings "Cohort") — what enroll added — and records it in Audit (Unenroll). The next
eligibility check treats the student as never having taken part. Progress rows stay.`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(
    args,
    io,
    { email: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' } },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const request = {
    email: required(values.email, '--email', USAGE),
    reason: required(values.reason, '--reason', USAGE),
  };
  const { result } = await decideAs(file, values, USAGE, (snapshot, by, now) =>
    planUnenroll(snapshot, request, by, now),
  );
  print(
    io,
    `Unenrolled ${result.email} from cohort "${result.cohort}": removed Roster row ${result.rosterRows.map((r) => r + 2).join(', ')}` +
      (result.historyRows.length
        ? ` and Participants history row ${result.historyRows.map((r) => r + 2).join(', ')}`
        : ''),
  );
  return EXIT.ok;
};
