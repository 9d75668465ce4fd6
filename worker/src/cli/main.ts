/**
 * `mooc-desk <command> ...`. Each command lives in `commands/<name>.ts` and exports `run`; this
 * file only dispatches, so adding a command never touches the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT, type CliIo, type Command } from './io';

const USAGE = `mooc-desk — Coursera progress table for the CET

Usage:
  mooc-desk init --workbook FILE.xlsx
  mooc-desk sync EXPORT --workbook FILE.xlsx [--as-of DATE] [--json]
  mooc-desk <command> --help

Commands: ${listCommands().join(', ')}
`;

function listCommands(): string[] {
  const dir = path.join(__dirname, 'commands');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (!/^[a-z][a-z-]*$/.test(name) || !listCommands().includes(name)) {
    io.stderr.write(`mooc-desk: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const command = (require(`./commands/${name}`) as { run: Command }).run;
  try {
    return await command(args, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`mooc-desk ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr.write(`mooc-desk ${name}: ${(e as Error)?.stack ?? String(e)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module || process.argv[1]?.endsWith('mooc-desk.js')) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
