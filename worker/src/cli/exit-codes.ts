/** The CLI's one map from a failure to an exit code: input the user must fix → 2, a rule's refusal → 3. */
import { InputError } from '../../../shared/src/errors';
import { RuleError } from '../../../shared/src/rule-errors';
import { CliError, EXIT } from './io';

/** `tail` says what happened to the workbook (e.g. "\nNothing was written."); other errors pass through. */
export function cliErrorFrom(e: unknown, tail = ''): unknown {
  if (e instanceof RuleError && e.kind === 'refused') return new CliError(`${e.message}${tail}`, EXIT.notAllowed);
  if (e instanceof InputError) return new CliError(`${e.message}${tail}`, EXIT.usage);
  return e;
}
