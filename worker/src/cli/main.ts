/**
 * `mooc-desk <command> ...`. Each command lives in `commands/<name>.ts` and exports `run`; the
 * table in command-table.ts names them, and this file only dispatches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES } from '../../../shared/src/languages';
import { closest } from './args';
import { COMMANDS, isCommandName } from './command-table';
import { cliErrorFrom } from './exit-codes';
import { CliError, EXIT, type CliIo } from './io';

const USAGE = `mooc-desk — Coursera progress table for the CET

Usage:
  mooc-desk init --workbook FILE.xlsx [--lang ${LANGUAGES.join('|')}]
  mooc-desk sync EXPORT --workbook FILE.xlsx [--as-of DATE] [--json]
  mooc-desk sync --api-program ID --workbook FILE.xlsx [--as-of DATE] [--json]
  mooc-desk <command> --help
  mooc-desk --version

Commands:
${commandList()}
`;

function commandList(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.describe}`)
    .join('\n');
}

/** The version users report: the package's own, read once from package.json. */
export function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`mooc-desk ${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (!isCommandName(name)) {
    const meant = closest(name, Object.keys(COMMANDS));
    io.stderr.write(`mooc-desk: unknown command "${name}"${meant ? `; did you mean ${meant}?` : ''}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const command = COMMANDS[name].run;
  try {
    return await command(args, io);
  } catch (caught) {
    const e = cliErrorFrom(caught);
    if (e instanceof CliError) {
      io.stderr.write(`mooc-desk ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`mooc-desk ${name}: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module || process.argv[1]?.endsWith('mooc-desk.js')) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
