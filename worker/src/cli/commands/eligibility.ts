/** `mooc-desk eligibility --workbook F.xlsx [--cohort NAME] [--json]`: fills Eligibility, Eligibility detail, Checked at in Candidates. */
import { checkEligibility, ELIGIBILITY_CODES } from '../../../../shared/src/eligibility/check';
import { decideAndApply, nowFrom, parseWorkbookCommand } from '../admin-support';
import { EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk eligibility --workbook FILE.xlsx [--cohort NAME] [--json]';
const HELP = `${USAGE}\n\n--cohort: the cohort being enrolled (default: Settings "Cohort"); its history rows are not prior participation.`;

export const run: Command = async (args, io) => {
  const parsed = parseWorkbookCommand(args, io, { cohort: { type: 'string' }, json: { type: 'boolean' } }, USAGE, HELP);
  if (!parsed) return EXIT.ok;
  const { values, file } = parsed;
  const now = nowFrom(values.at);
  const { result } = await decideAndApply(file, (snapshot) =>
    checkEligibility(snapshot, { now, cohort: values.cohort }),
  );
  if (values.json) {
    print(io, JSON.stringify({ checked: result.checked, counts: result.counts, cellsWritten: result.cellsWritten }));
    return EXIT.ok;
  }
  const counts = ELIGIBILITY_CODES.filter((c) => result.counts[c]).map((c) => `${c} ${result.counts[c]}`);
  const lines = [
    `Checked ${result.checked} candidate(s): ${counts.join(' · ') || 'none'} (${result.cellsWritten} cell(s) written)`,
  ];
  const open = result.verdicts.filter((v) => v.code === 'POSSIBLE_MATCH');
  if (open.length) {
    lines.push(
      `${open.length} POSSIBLE_MATCH to confirm (set "Match decision" in Candidates, then run the check again):`,
    );
    for (const v of open) lines.push(`  row ${v.row + 2} ${v.email}: ${v.detail}`);
  }
  print(io, lines.join('\n'));
  return EXIT.ok;
};
