/**
 * Where a command may write its output file (`--out`, `--list`): never onto one of its inputs (the
 * workbook, an export), compared as real files — `./w.xlsx`, `sub/../w.xlsx`, a symlink, a hard
 * link or another spelling on a case-insensitive disk all name the same file — and never over an
 * existing file unless `--force`. Refusals exit 2 before anything is read or written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from './io';

export interface OutputCheck {
  /** The flag as the user typed it, for messages (`--out`). */
  readonly flag: string;
  /** Input files by what they are: `{ workbook: '/abs/w.xlsx' }`. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly force?: boolean;
}

const statOf = (file: string): fs.Stats | null => {
  try {
    return fs.statSync(file); // follows symlinks
  } catch {
    return null;
  }
};

const realPath = (file: string): string => {
  try {
    return fs.realpathSync.native(file);
  } catch {
    // Not there yet: its folder's real path plus its name.
    try {
      return path.join(fs.realpathSync.native(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
};

/** The absolute output path, or a CliError (exit 2) saying why it may not be written. */
export function checkedOutputPath(cwd: string, given: string, check: OutputCheck): string {
  const out = path.resolve(cwd, given);
  const outStat = statOf(out);
  if (outStat?.isDirectory()) throw new CliError(`${check.flag} ${given} is a folder: name a file`, EXIT.usage);
  const real = realPath(out);
  for (const [what, input] of Object.entries(check.inputs)) {
    const inStat = statOf(input);
    const same =
      realPath(input) === real ||
      (outStat && inStat && outStat.dev === inStat.dev && outStat.ino === inStat.ino) ||
      // a case-insensitive disk (macOS, Windows) without inode numbers to compare
      ((process.platform === 'darwin' || process.platform === 'win32') &&
        realPath(input).toLowerCase() === real.toLowerCase());
    if (same)
      throw new CliError(
        `${check.flag} ${given} is the ${what} (${input}): write the output to another file`,
        EXIT.usage,
      );
  }
  if (outStat && !check.force)
    throw new CliError(
      `${check.flag} ${given}: ${path.basename(out)} already exists; pass --force to overwrite it`,
      EXIT.usage,
    );
  return out;
}
