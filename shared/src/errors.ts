/**
 * The one base class for "the input is wrong, the user must fix something": a bad export file, a
 * Settings row, the Courses catalog, the grade scale, a job's data, an environment variable, or a
 * request the rules refuse. Nothing has been written when one is thrown, and retrying the same
 * thing fails the same way. Each front end maps it once: the CLI exits 2 (3 for a refused
 * RuleError), the worker fails the job without retry, the add-on shows the message.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
