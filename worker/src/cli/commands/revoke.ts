/** `mooc-desk revoke --workbook F.xlsx --email E --course SLUG --by EMAIL --reason TEXT` */
import { planRevoke } from '../../../../shared/src/grading/approval';
import { decideAs, parseWorkbookCommand } from '../admin-support';
import { required } from '../args';
import { EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk revoke --workbook FILE.xlsx --email STUDENT --course SLUG --by EMAIL --reason TEXT';
const HELP = `${USAGE}\n\nThe course's mentor or an admin; blanks Points, Letter, Approved by, Approved at and records the revoke in Audit.`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(
    args,
    io,
    { email: { type: 'string' }, course: { type: 'string' }, by: { type: 'string' }, reason: { type: 'string' } },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const request = {
    email: required(values.email, '--email', USAGE),
    course: required(values.course, '--course', USAGE),
    reason: required(values.reason, '--reason', USAGE),
  };
  const { result } = await decideAs(file, values, USAGE, (snapshot, by, now) => planRevoke(snapshot, request, by, now));
  print(
    io,
    `Revoked the approval of ${result.email} in "${result.course}" (was ${result.before.Points ?? ''} points, ${result.before.Letter ?? ''})`,
  );
  return EXIT.ok;
};
