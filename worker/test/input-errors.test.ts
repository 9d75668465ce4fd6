import { InputError } from '../../shared/src/errors';
import { GradeScaleError } from '../../shared/src/grade-scale';
import { CatalogError } from '../../shared/src/progress-row';
import { ApprovalRefused, InvalidRequest } from '../../shared/src/rule-errors';
import { SettingsError } from '../../shared/src/settings';
import { AsOfError } from '../../shared/src/sync-plan';
import { cliErrorFrom } from '../src/cli/exit-codes';
import { CliError } from '../src/cli/io';
import { DashboardConfigError } from '../src/dashboard/server';
import { QueueConfigError } from '../src/queue/config';
import { classifyFailure } from '../src/queue/failures';
import { JobDataError } from '../src/queue/job-data';
import { ExportFileError } from '../../shared/src/export-collector';

const inputErrors = [
  SettingsError,
  CatalogError,
  AsOfError,
  GradeScaleError,
  ExportFileError,
  JobDataError,
  QueueConfigError,
  DashboardConfigError,
  InputError,
];

test.each(inputErrors.map((C) => [C.name, C] as const))(
  '%s is an InputError: CLI exit 2, a permanent job failure',
  (_, C) => {
    const e = new C('fix this');
    expect(e).toBeInstanceOf(InputError);
    expect(cliErrorFrom(e, '\nNothing was written.')).toEqual(new CliError('fix this\nNothing was written.', 2));
    expect(classifyFailure(e)).toEqual({ kind: 'permanent', message: 'fix this' });
  },
);

test('a refused rule is exit 3, a bad request exit 2; anything else passes through', () => {
  expect((cliErrorFrom(new ApprovalRefused('NOT_READY', 'not ready')) as CliError).exitCode).toBe(3);
  expect((cliErrorFrom(new InvalidRequest('BAD_POINTS', 'points')) as CliError).exitCode).toBe(2);
  const bug = new TypeError('x');
  expect(cliErrorFrom(bug)).toBe(bug);
  expect(classifyFailure(bug).kind).toBe('transient');
});
