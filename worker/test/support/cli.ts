/** Runs the CLI in-process with captured output, as a user at a terminal would see it. */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main';

export async function cli(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  // A fixed locale: `init` follows LC_ALL / LC_MESSAGES / LANG, and the tests must not follow the machine's.
  const locale = { LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' };
  const code = await main(args, { stdout: out, stderr: err, cwd, env: { ...process.env, ...locale, ...env } });
  return { code, stdout, stderr };
}

/** `<command> --workbook <workbook> --email <email> --course <course> ...extra`: approve or revoke one course result. */
export function courseResultCli(
  command: 'approve' | 'revoke',
  workbook: string,
  email: string,
  course: string,
  ...extra: string[]
) {
  return cli([command, '--workbook', workbook, '--email', email, '--course', course, ...extra]);
}
