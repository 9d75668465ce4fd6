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
  const meant = closest(given.replace(/^-+/, '').split('=')[0], known);
  return `unknown option ${given.split('=')[0]}${meant ? `; did you mean --${meant}?` : ''}`;
}

/**
 * The known name a typo most likely meant (`asof` → `as-of`, `lnag` → `lang`, `snyc` → `sync`), or
 * undefined when none is close: a third of the name's letters may be wrong, dashes aside.
 */
export function closest(given: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const name = squash(given);
  const best = known.map((k) => ({ k, d: distance(name, squash(k)) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(1, Math.floor(name.length / 3)) ? best.k : undefined;
}

/** Edit distance with adjacent transpositions counted once (optimal string alignment); names are short. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliError(`${flag} is required\n\nUsage: ${usage}`, EXIT.usage);
  return value;
}
