/** `mooc-desk revoke --workbook F.xlsx --email E --course SLUG --by EMAIL --reason TEXT` */
import { planRevoke } from '../../../../shared/src/grading/approval';
import { decideAndApply, existingWorkbook, nowFrom } from '../admin-support';
import { parse, required } from '../args';
import { EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk revoke --workbook FILE.xlsx --email STUDENT --course SLUG --by EMAIL --reason TEXT';

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    {
      workbook: { type: 'string' },
      email: { type: 'string' },
      course: { type: 'string' },
      by: { type: 'string' },
      reason: { type: 'string' },
      at: { type: 'string' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help)
    return (
      print(
        io,
        `${USAGE}\n\nThe course's mentor or an admin; blanks Points, Letter, Approved by, Approved at and records the revoke in Audit.`,
      ),
      EXIT.ok
    );
  const file = existingWorkbook(io, required(values.workbook, '--workbook', USAGE));
  const request = {
    email: required(values.email, '--email', USAGE),
    course: required(values.course, '--course', USAGE),
    reason: required(values.reason, '--reason', USAGE),
  };
  const by = required(values.by, '--by', USAGE);
  const now = nowFrom(values.at);
  const { result } = await decideAndApply(file, (snapshot) => planRevoke(snapshot, request, by, now));
  print(
    io,
    `Revoked the approval of ${result.email} in "${result.course}" (was ${result.before.Points ?? ''} points, ${result.before.Letter ?? ''})`,
  );
  return EXIT.ok;
};
