/** `mooc-desk init --workbook FILE.xlsx [--lang kk|ru|en]`: a new progress workbook from the template. */
import fs from 'node:fs';
import path from 'node:path';
import { localized } from '../../../../shared/src/i18n/localized-workbook';
import { LANGUAGES, languageOfEnv, type Language } from '../../../../shared/src/languages';
import { SYNC_TABS, templatePlan } from '../../../../shared/src/sync-plan';
import { XlsxWorkbook, withWorkbookLock } from '../../adapters/xlsx-workbook';
import { checkWorkbookPath } from '../../sync/workbook-file';
import { parse, required } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE = `mooc-desk init --workbook FILE.xlsx [--lang ${LANGUAGES.join('|')}]`;
const HELP = `${USAGE}

Tab names, headers and pick-lists in the language given (Settings › Language says it), by default
the environment's (LC_ALL, LC_MESSAGES, LANG), else English. Never overwrites a workbook.`;

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    { workbook: { type: 'string' }, lang: { type: 'string' }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (print(io, HELP), EXIT.ok);
  const given = required(values.workbook, '--workbook', USAGE);
  const language = languageOption(values.lang, io.env);
  const file = checkWorkbookPath(path.resolve(io.cwd, given), given);
  if (fs.existsSync(file)) throw new CliError(`${given} already exists; init never overwrites a workbook`, EXIT.usage);
  await withWorkbookLock(file, async () => {
    const wb = localized(await XlsxWorkbook.open(file, { create: true }), { language });
    await wb.apply({ tabs: templatePlan(await wb.read(SYNC_TABS), language) });
  });
  print(
    io,
    `Created ${given} with the MOOC Desk template (language: ${language}). Fill Settings, Roster and Courses, then run: mooc-desk sync EXPORT.csv --workbook ${given}`,
  );
  return EXIT.ok;
};

function languageOption(lang: string | undefined, env: NodeJS.ProcessEnv): Language {
  if (lang === undefined) return languageOfEnv(env);
  const l = lang.trim().toLowerCase();
  if (!(LANGUAGES as readonly string[]).includes(l))
    throw new CliError(`--lang "${lang}": use one of ${LANGUAGES.join(', ')}\n\nUsage: ${USAGE}`, EXIT.usage);
  return l as Language;
}
