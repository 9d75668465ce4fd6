/** Argument parsing on node:util's parseArgs, with usage errors as exit code 2. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './io';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n\nUsage: ${usage}`, EXIT.usage);
  }
}

export function required(value: string | undefined, flag: string, usage: string): string {
  if (!value) throw new CliError(`${flag} is required\n\nUsage: ${usage}`, EXIT.usage);
  return value;
}
