/** `mooc-desk enqueue --export FILE|--api-program ID --workbook FILE.xlsx|--spreadsheet ID [--as-of DATE] [--json]` */
import { queueConfig } from '../../queue/config';
import { closeQueues, enqueueSync, openQueues } from '../../queue/queues';
import { parse } from '../args';
import { EXIT, print, type Command } from '../io';
import { jobFromFlags, JOB_FLAGS, redisError } from '../job-flags';

const USAGE =
  'mooc-desk enqueue (--export FILE | --api-program ID) (--workbook FILE.xlsx | --spreadsheet ID) [--as-of YYYY-MM-DD] [--json]';

export const run: Command = async (args, io) => {
  const { values } = parse(args, { ...JOB_FLAGS, json: { type: 'boolean' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const data = jobFromFlags(values, io.cwd, USAGE);
  const config = queueConfig(io.env);
  const queues = openQueues(config);
  try {
    const r = await enqueueSync(queues, config, data).catch((e) => {
      throw redisError(e, config.REDIS_URL);
    });
    if (values.json) print(io, JSON.stringify(r));
    else
      print(
        io,
        {
          added: `Queued sync job ${r.jobId} on ${r.queue} for ${r.targetKey}.`,
          updated: `A sync of ${r.targetKey} was already waiting (job ${r.jobId}); it will now read this source instead.`,
          'after-active': `A sync of ${r.targetKey} is running (job ${r.jobId}); this one runs right after it.`,
        }[r.outcome],
      );
    return EXIT.ok;
  } finally {
    await closeQueues(queues);
  }
};
