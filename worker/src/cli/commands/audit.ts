/** `mooc-desk audit verify --workbook F.xlsx [--json]`: checks the Audit tab's hash chain. */
import { describeAuditProblem, verifyAuditChain } from '../../../../shared/src/audit-chain';
import { AUDIT_TAB } from '../../../../shared/src/layout';
import { XlsxWorkbook } from '../../adapters/xlsx-workbook';
import { localized } from '../../../../shared/src/i18n/localized-workbook';
import { existingWorkbook } from '../admin-support';
import { parse, required } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE = 'mooc-desk audit verify --workbook FILE.xlsx [--json]';
const HELP = `${USAGE}

Recomputes every Audit row's Hash from the row above it (the first from the documented seed) and
stops at the first row that was edited, inserted, emptied or typed in by hand. Exit 0 when the
chain is intact, 4 when it is broken. --json prints {rows, intact, problems: [{row, reason}]}.
Reads only: the workbook is never written.`;
const SUBCOMMANDS = ['verify'];

export const run: Command = async (args, io) => {
  const { values, positionals } = parse(
    args,
    { workbook: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (print(io, HELP), EXIT.ok);
  if (positionals.length !== 1 || !SUBCOMMANDS.includes(positionals[0])) {
    throw new CliError(`name what to do (${SUBCOMMANDS.join(', ')})\n\nUsage: ${USAGE}`, EXIT.usage);
  }
  const file = existingWorkbook(io, required(values.workbook, '--workbook', USAGE));
  // Through the decorator: rows are hashed over canonical texts, whatever the workbook's language.
  const tab = (await localized(await XlsxWorkbook.open(file)).read([AUDIT_TAB.name]))[AUDIT_TAB.name];
  const report = verifyAuditChain(tab);
  if (values.json) {
    print(
      io,
      JSON.stringify({
        rows: report.rows,
        intact: report.intact,
        problems: report.problems.map(({ row, reason }) => ({ row, reason })),
      }),
    );
  } else if (report.intact) {
    print(io, tab ? `Audit chain intact: ${report.rows} row(s) checked.` : 'No Audit tab: nothing to verify (0 rows).');
  } else {
    const first = report.problems[0];
    print(
      io,
      [
        `Audit chain BROKEN: ${report.rows} row(s) checked; the first problem is at Audit ${describeAuditProblem(first)}.`,
        report.trustedRows
          ? `The ${report.trustedRows} row(s) above it verify; from row ${first.row} on no entry can be trusted.`
          : 'No entry can be trusted.',
      ].join('\n'),
    );
  }
  return report.intact ? EXIT.ok : EXIT.brokenAudit;
};
