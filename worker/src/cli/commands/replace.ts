/** `mooc-desk replace --workbook F.xlsx --out EMAIL --in EMAIL --reason TEXT --by EMAIL [--list FILE.csv]` */
import path from 'node:path';
import { toCsv } from '../../../../shared/src/enrollment/csv';
import { planReplace } from '../../../../shared/src/enrollment/replace';
import { ENROLLMENT_LIST_HEADER } from '../../../../shared/src/enrollment/roster';
import { decideAndApply, nowFrom, parseWorkbookCommand, stagedFile } from '../admin-support';
import { required } from '../args';
import { checkedOutputPath } from '../out-path';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE =
  'mooc-desk replace --workbook FILE.xlsx --out EMAIL --in EMAIL --reason TEXT --by EMAIL [--list NEWCOMER.csv [--force]]';
const HELP = `${USAGE}\n\n--list: also write the newcomer's line of the enrollment list (CSV) for the operator`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(
    args,
    io,
    {
      out: { type: 'string' },
      in: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      list: { type: 'string' },
      force: { type: 'boolean' },
    },
    USAGE,
    HELP,
  );
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const request = {
    out: required(values.out, '--out', USAGE),
    in: required(values.in, '--in', USAGE),
    reason: required(values.reason, '--reason', USAGE),
  };
  const by = required(values.by, '--by', USAGE);
  const list = values.list
    ? checkedOutputPath(io.cwd, values.list, { flag: '--list', inputs: { workbook: file }, force: values.force })
    : undefined;
  if (list && path.extname(list).toLowerCase() !== '.csv')
    throw new CliError(`--list ${values.list}: the enrollment list is a .csv file`, EXIT.usage);
  const now = nowFrom(values.at);
  let staged: ReturnType<typeof stagedFile> | undefined;
  try {
    const { result } = await decideAndApply(file, (snapshot) => planReplace(snapshot, request, by, now), {
      beforeApply: ({ result }) =>
        void (list && (staged = stagedFile(list, toCsv(ENROLLMENT_LIST_HEADER, result.list)))),
    });
    staged?.commit();
    print(
      io,
      `Replaced ${result.leaving.email} (now "Replaced" on the Roster) with ${result.joining.email} in cohort "${result.cohort}"` +
        (list ? `\nEnrollment list for the newcomer: ${path.relative(io.cwd, list) || list}` : ''),
    );
    return EXIT.ok;
  } catch (e) {
    staged?.discard();
    throw e;
  }
};
