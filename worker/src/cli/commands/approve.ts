/** `mooc-desk approve --workbook F.xlsx --email E --course SLUG --by EMAIL [--points N] [--override REASON] [--json]` */
import { planApprovals } from '../../../../shared/src/grading/approval-batch';
import { decideAndApply, existingWorkbook, nowFrom } from '../admin-support';
import { parse, required } from '../args';
import { EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk approve --workbook FILE.xlsx --email STUDENT --course SLUG --by EMAIL [--points 0-100] [--override REASON] [--json]';
const HELP = `${USAGE}

Only the course's mentor (Courses tab) or an admin (Settings "Admins") may approve. Points default
to Course grade % rounded half up (94.5 → 95). A row whose Status is not "Ready for approval" needs
an admin and --override with a written reason. Exit 3 when refused; nothing is written then.`;

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    {
      workbook: { type: 'string' },
      email: { type: 'string' },
      course: { type: 'string' },
      by: { type: 'string' },
      points: { type: 'string' },
      override: { type: 'string' },
      at: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return print(io, HELP), EXIT.ok;
  const file = existingWorkbook(io, required(values.workbook, '--workbook', USAGE));
  const request = { email: required(values.email, '--email', USAGE), course: required(values.course, '--course', USAGE), points: values.points, override: values.override };
  const by = required(values.by, '--by', USAGE);
  const now = nowFrom(values.at);
  const { result } = await decideAndApply(file, (snapshot) => {
    // A batch of one: the same path as the add-on's "approve selected".
    const { plan, outcomes } = planApprovals(snapshot, [request], by, now);
    const [outcome] = outcomes;
    if (!outcome.ok) throw outcome.error;
    return { plan, result: outcome.result };
  });
  if (values.json) {
    print(io, JSON.stringify({ email: result.email, course: result.course, points: result.points, letter: result.band.letter, gpa: result.band.gpa, traditionalMark: result.band.traditional, approvedBy: result.approvedBy, approvedAt: result.approvedAt, override: result.override }));
  } else {
    print(io, `Approved ${result.email} in "${result.course}": ${result.points} points, ${result.band.letter} (GPA ${result.band.gpa}, ${result.band.traditional}) by ${result.approvedBy} at ${result.approvedAt}`);
  }
  return EXIT.ok;
};
