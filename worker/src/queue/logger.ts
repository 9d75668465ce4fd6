/**
 * pino: JSON lines in production (or whenever stdout is not a terminal, so log shippers get
 * JSON), pino-pretty on a terminal. The pretty stream runs in-process (no transport thread) so a
 * worker's last lines are never lost on exit.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const stream = options.stream ?? process.stdout;
  const level = env.LOG_LEVEL ?? 'info';
  const base = { name: options.name ?? 'mooc-desk', level };
  const wantPretty =
    env.LOG_FORMAT === 'pretty' ||
    (env.LOG_FORMAT !== 'json' && env.NODE_ENV !== 'production' && Boolean(stream.isTTY));
  if (wantPretty)
    return pino(
      base,
      pretty({ destination: stream, colorize: Boolean(stream.isTTY), translateTime: 'SYS:HH:MM:ss', sync: true }),
    );
  return pino(base, stream);
}

/** For tests and library use: drops everything. */
export const silentLogger: Logger = pino({ level: 'silent' });
