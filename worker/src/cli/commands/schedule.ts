/**
 * `mooc-desk schedule (--spreadsheet ID | --workbook F) (--export F | --api-program ID) --cron "0 6 * * *" [--tz Asia/Almaty]`
 * `mooc-desk schedule (--spreadsheet ID | --workbook F) --remove`
 * `mooc-desk schedule --list`
 */
import { isValidTimeZone } from '../../../../shared/src/time';
import { queueConfig } from '../../queue/config';
import { closeQueues, openQueues } from '../../queue/queues';
import { removeSyncSchedule, upsertSyncSchedule } from '../../queue/scheduler';
import { parse } from '../args';
import { CliError, EXIT, print, type Command } from '../io';
import { jobFromFlags, JOB_FLAGS, redisError, targetFromFlags } from '../job-flags';

const USAGE =
  'mooc-desk schedule (--spreadsheet ID | --workbook FILE.xlsx) (--export FILE | --api-program ID) --cron "0 6 * * *" [--tz Asia/Almaty]\n' +
  '       mooc-desk schedule (--spreadsheet ID | --workbook FILE.xlsx) --remove\n' +
  '       mooc-desk schedule --list';

export const run: Command = async (args, io) => {
  const { values } = parse(
    args,
    {
      ...JOB_FLAGS,
      cron: { type: 'string' },
      tz: { type: 'string' },
      remove: { type: 'boolean' },
      list: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const config = queueConfig(io.env);
  if (values.list) return list(io, config, Boolean(values.json));
  if (values.remove) {
    const target = targetFromFlags(values, io.cwd, USAGE);
    const queues = openQueues(config);
    try {
      const removed = await removeSyncSchedule(queues, target).catch((e) => {
        throw redisError(e, config.REDIS_URL);
      });
      print(io, removed ? 'Schedule removed.' : 'No schedule for that target.');
      return removed ? EXIT.ok : EXIT.failure;
    } finally {
      await closeQueues(queues);
    }
  }
  const data = jobFromFlags(values, io.cwd, USAGE);
  if (data.asOf)
    throw new CliError('--as-of makes no sense for a recurring sync (each run is as of its own time)', EXIT.usage);
  if (!values.cron)
    throw new CliError(
      `--cron is required (e.g. --cron "0 6 * * *" for 06:00 every day)\n\nUsage: ${USAGE}`,
      EXIT.usage,
    );
  const tz = values.tz ?? 'Asia/Almaty';
  if (!isValidTimeZone(tz))
    throw new CliError(`--tz "${tz}" is not a time zone (use an IANA name such as Asia/Almaty)`, EXIT.usage);
  const queues = openQueues(config);
  try {
    const r = await upsertSyncSchedule(queues, config, data, { pattern: values.cron, tz }).catch((e) => {
      if (/cron|pattern|Invalid|Validation/i.test((e as Error).message))
        throw new CliError(`--cron "${values.cron}": ${(e as Error).message}`, EXIT.usage);
      throw redisError(e, config.REDIS_URL);
    });
    const next = r.nextRunAt ? new Date(r.nextRunAt).toISOString() : 'unknown';
    if (values.json) print(io, JSON.stringify(r));
    else
      print(
        io,
        `Scheduled ${r.schedulerId} on ${r.queue}: "${values.cron}" in ${tz}; next run ${next}. Running it again replaces this schedule.`,
      );
    return EXIT.ok;
  } finally {
    await closeQueues(queues);
  }
};

async function list(
  io: Parameters<Command>[1],
  config: ReturnType<typeof queueConfig>,
  json: boolean,
): Promise<number> {
  const queues = openQueues(config);
  try {
    const rows = [];
    for (const q of Object.values(queues)) {
      const schedulers = await q.getJobSchedulers().catch((e) => {
        throw redisError(e, config.REDIS_URL);
      });
      for (const s of schedulers)
        rows.push({
          queue: q.name,
          id: s.key,
          pattern: s.pattern ?? null,
          every: s.every ?? null,
          tz: s.tz ?? null,
          next: s.next ? new Date(s.next).toISOString() : null,
        });
    }
    if (json) print(io, JSON.stringify(rows));
    else
      print(
        io,
        rows.length
          ? rows
              .map((r) => `${r.id}  ${r.pattern ?? `every ${r.every} ms`}  ${r.tz ?? ''}  next ${r.next ?? '?'}`)
              .join('\n')
          : 'No schedules.',
      );
    return EXIT.ok;
  } finally {
    await closeQueues(queues);
  }
}
