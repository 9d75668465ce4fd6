/**
 * `mooc-desk enroll --workbook F.xlsx --cohort NAME --out list.csv --by EMAIL [--new-cohort] [--accept-possible] [--all]`:
 * ELIGIBLE candidates → Roster + Participants history, and the enrollment list CSV for BMG UpSkill.
 * Admins only; the cohort must be Settings `Cohort` unless `--new-cohort` starts a new one.
 */
import path from 'node:path';
import { toCsv } from '../../../../shared/src/enrollment/csv';
import { planEnroll } from '../../../../shared/src/enrollment/enroll';
import { ENROLLMENT_LIST_HEADER } from '../../../../shared/src/enrollment/roster';
import { decideAndApply, nowFrom, parseWorkbookCommand, stagedFile } from '../admin-support';
import { required } from '../args';
import { checkedOutputPath } from '../out-path';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE =
  'mooc-desk enroll --workbook FILE.xlsx --cohort NAME --out LIST.csv --by EMAIL [--new-cohort] [--accept-possible] [--all] [--force] [--json]';
const HELP = `${USAGE}

--by EMAIL         the admin enrolling (Settings "Admins"); the Audit's Who
--new-cohort       NAME differs from Settings "Cohort" on purpose: start that cohort (Settings "Cohort" becomes NAME)
--accept-possible  go ahead although some candidates are POSSIBLE_MATCH; they are left out
--all              the list holds every active Roster row of the cohort, not only those added now
--force            overwrite LIST.csv when it exists (it may never be the workbook)`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(
    args,
    io,
    {
      cohort: { type: 'string' },
      out: { type: 'string' },
      'accept-possible': { type: 'boolean' },
      'new-cohort': { type: 'boolean' },
      all: { type: 'boolean' },
      by: { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const cohort = required(values.cohort, '--cohort', USAGE);
  const by = required(values.by, '--by', USAGE);
  const out = checkedOutputPath(io.cwd, required(values.out, '--out', USAGE), {
    flag: '--out',
    inputs: { workbook: file },
    force: values.force,
  });
  if (path.extname(out).toLowerCase() !== '.csv')
    throw new CliError(`--out ${values.out}: the enrollment list is a .csv file`, EXIT.usage);
  const now = nowFrom(values.at);
  let staged: ReturnType<typeof stagedFile> | undefined;
  try {
    const { result } = await decideAndApply(
      file,
      (snapshot) =>
        planEnroll(
          snapshot,
          { cohort, acceptPossible: values['accept-possible'], listAll: values.all, newCohort: values['new-cohort'] },
          by,
          now,
        ),
      { beforeApply: ({ result }) => void (staged = stagedFile(out, toCsv(ENROLLMENT_LIST_HEADER, result.list))) },
    );
    staged?.commit();
    if (values.json) {
      print(
        io,
        JSON.stringify({
          cohort,
          enrolled: result.enrolled.length,
          alreadyEnrolled: result.alreadyEnrolled,
          leftOut: result.leftOut.length,
          listed: result.list.length,
          out,
        }),
      );
      return EXIT.ok;
    }
    const lines = [
      `Enrolled ${result.enrolled.length} candidate(s) into cohort "${cohort}"` +
        (result.alreadyEnrolled ? ` (${result.alreadyEnrolled} already enrolled, not added again)` : ''),
      `Enrollment list: ${path.relative(io.cwd, out) || out} (${result.list.length} row(s))`,
    ];
    if (result.leftOut.length)
      lines.push(
        `Left out ${result.leftOut.length} POSSIBLE_MATCH (Candidates rows ${result.leftOut.map((v) => v.row + 2).join(', ')}): decide them, then enroll again`,
      );
    print(io, lines.join('\n'));
    return EXIT.ok;
  } catch (e) {
    staged?.discard();
    throw e;
  }
};
