/** `mooc-desk dashboard [--port 3030]` — bull-board on 127.0.0.1 behind basic auth (DASHBOARD_USER/DASHBOARD_PASSWORD). */
import { dashboardCredentials, startDashboard } from '../../dashboard/server';
import { queueConfig } from '../../queue/config';
import { createLogger } from '../../queue/logger';
import { parse } from '../args';
import { CliError, EXIT, print, type Command } from '../io';

const USAGE =
  'mooc-desk dashboard [--port 3030]   (needs DASHBOARD_USER and DASHBOARD_PASSWORD; listens on 127.0.0.1 only)';

export const run: Command = async (args, io) => {
  const { values } = parse(args, { port: { type: 'string' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) return (print(io, USAGE), EXIT.ok);
  const port = values.port === undefined ? 3030 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port must be 0–65535, got "${values.port}"`, EXIT.usage);
  const creds = dashboardCredentials(io.env); // missing credentials are an InputError: exit 2 (main.ts)
  const log = createLogger({ env: io.env, stream: io.stdout, name: 'mooc-desk-dashboard' });
  const dashboard = await startDashboard(queueConfig(io.env), creds, { port });
  log.info({ url: dashboard.url }, 'dashboard listening (basic auth; tunnel with ssh -L to reach it from elsewhere)');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await dashboard.close();
  return EXIT.ok;
};
