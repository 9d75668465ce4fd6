/** `mooc-desk approve --workbook F.xlsx --email E --course SLUG --by EMAIL [--points N] [--override-reason-code CODE --override TEXT] [--json]` */
import {
  OVERRIDE_CODES,
  OVERRIDE_REASONS,
  OVERRIDE_TEXT_MAX,
  OVERRIDE_TEXT_MIN,
} from '../../../../shared/src/grading/approval';
import { planApprovals } from '../../../../shared/src/grading/approval-batch';
import { decideAs, parseWorkbookCommand } from '../admin-support';
import { required } from '../args';
import { EXIT, print, type Command } from '../io';

const USAGE =
  'mooc-desk approve --workbook FILE.xlsx --email STUDENT --course SLUG --by EMAIL [--points 0-100] [--override-reason-code CODE --override TEXT] [--json]';
const HELP = `${USAGE}

Only the course's mentor (Courses tab) or an admin (Settings "Admins") may approve. Points default
to Course grade % rounded half up (94.5 → 95). Readiness comes from the row's facts (certificate,
engagement >= threshold, on time), never from the Status cell. A row that is not ready may be
approved only by an admin, only when the course is completed or certified, with an override:
  --override-reason-code CODE   one of:
${OVERRIDE_CODES.map((c) => `      ${c.padEnd(28)}${OVERRIDE_REASONS[c]}`).join('\n')}
  --override TEXT               why, in ${OVERRIDE_TEXT_MIN}–${OVERRIDE_TEXT_MAX} characters
The row then reads "Approved by: ADMIN (override)", the Audit action is "Approve (override)" with
"CODE: TEXT" as its reason, and the recognition report shows it in its Override column.
Exit 3 when refused, 2 for bad input; nothing is written then.`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(
    args,
    io,
    {
      email: { type: 'string' },
      course: { type: 'string' },
      by: { type: 'string' },
      points: { type: 'string' },
      override: { type: 'string' },
      'override-reason-code': { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const request = {
    email: required(values.email, '--email', USAGE),
    course: required(values.course, '--course', USAGE),
    points: values.points,
    override: values.override,
    overrideCode: values['override-reason-code'],
  };
  const { result } = await decideAs(file, values, USAGE, (snapshot, by, now) => {
    // A batch of one: the same path as the add-on's "approve selected".
    const { plan, outcomes } = planApprovals(snapshot, [request], by, now);
    const [outcome] = outcomes;
    if (!outcome.ok) throw outcome.error;
    return { plan, result: outcome.result };
  });
  if (values.json) {
    print(
      io,
      JSON.stringify({
        email: result.email,
        course: result.course,
        points: result.points,
        letter: result.band.letter,
        gpa: result.band.gpa,
        traditionalMark: result.band.traditional,
        approvedBy: result.approvedBy,
        approvedAt: result.approvedAt,
        override: result.override,
      }),
    );
  } else {
    print(
      io,
      `Approved ${result.email} in "${result.course}": ${result.points} points, ${result.band.letter} (GPA ${result.band.gpa}, ${result.band.traditional}) by ${result.approvedBy} at ${result.approvedAt}`,
    );
  }
  return EXIT.ok;
};
