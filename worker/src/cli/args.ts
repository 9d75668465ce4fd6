/** Argument parsing on node:util's parseArgs, with usage errors as exit code 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './io';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const unknown = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(err.message)?.[1] : undefined;
    const message = unknown ? unknownOption(unknown, Object.keys(options)) : err.message;
    throw new CliError(`${message}\n\nUsage: ${usage}`, EXIT.usage);
  }
}

/** "unknown option --asof; did you mean --as-of?" — Node's own message talks about positionals. */
export function unknownOption(given: string, known: readonly string[]): string {
  const name = given.replace(/^-+/, '').split('=')[0];
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const scored = known
    .map((k) => ({ k, d: squash(k) === squash(name) ? 0 : distance(name.toLowerCase(), k) }))
    .sort((a, b) => a.d - b.d);
  const best = scored[0];
  const hint = best && best.d <= Math.max(1, Math.floor(name.length / 3)) ? `; did you mean --${best.k}?` : '';
  return `unknown option ${given.split('=')[0]}${hint}`;
}

/** Levenshtein distance (short option names: the quadratic table is tiny). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliError(`${flag} is required\n\nUsage: ${usage}`, EXIT.usage);
  return value;
}
