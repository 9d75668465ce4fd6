/** What a CLI command gets: its arguments and the streams, so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 ok, 1 failure, 2 unusable input or usage, 3 not allowed (approval rules), 4 the Audit hash chain is broken. */
export const EXIT = { ok: 0, failure: 1, usage: 2, notAllowed: 3, brokenAudit: 4 } as const;

/** An error a command turns into a clean message and an exit code (no stack trace for users). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

export function print(io: CliIo, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
