/** `mooc-desk worker [--concurrency N] [--queue sheets|xlsx]...` — runs sync jobs until SIGTERM/SIGINT. */
import { backendsFromEnv } from '../../queue/backends';
import { queueConfig } from '../../queue/config';
import { createLogger } from '../../queue/logger';
import { QUEUE_KINDS, type QueueKind } from '../../queue/names';
import { closeOnSignals, startSyncWorkers } from '../../queue/worker';
import { parse } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE =
  'mooc-desk worker [--concurrency N] [--queue sheets|xlsx ...]   (Redis from REDIS_URL; see README "Workers")';

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    { concurrency: { type: 'string' }, queue: { type: 'string', multiple: true }, help: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (print(io, USAGE), EXIT.ok);
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new CliError(
        `--concurrency must be a whole number 1–64, got "${values.concurrency}"\n\nUsage: ${USAGE}`,
        EXIT.usage,
      );
  }
  const kinds = (values.queue ?? [...QUEUE_KINDS]) as QueueKind[];
  const unknown = kinds.filter((k) => !QUEUE_KINDS.includes(k));
  if (unknown.length)
    throw new CliError(
      `unknown --queue ${unknown.join(', ')} (use ${QUEUE_KINDS.join(' or ')})\n\nUsage: ${USAGE}`,
      EXIT.usage,
    );
  const config = queueConfig(io.env); // a bad environment is an InputError: exit 2 (main.ts)
  const log = createLogger({ env: io.env, stream: io.stdout, name: 'mooc-desk-worker' });
  if (kinds.includes('sheets') && !io.env.GOOGLE_APPLICATION_CREDENTIALS) {
    log.warn(
      'GOOGLE_APPLICATION_CREDENTIALS is not set: Google Sheets jobs will fail until it points at the service-account key (see README)',
    );
  }
  const workers = startSyncWorkers({
    config,
    log,
    backends: backendsFromEnv(io.env, { sheetsCallRetries: config.SHEETS_CALL_RETRIES }),
    concurrency,
    kinds,
  });
  await closeOnSignals(workers, log);
  return EXIT.ok;
};
