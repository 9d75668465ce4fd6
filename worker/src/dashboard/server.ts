/**
 * bull-board for admins: the sync queues (waiting, active with progress, failed with the reason,
 * schedules) on 127.0.0.1 only, behind HTTP basic auth. It refuses to start without
 * DASHBOARD_USER/DASHBOARD_PASSWORD: job actions (retry, remove) must never be open.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express, { type RequestHandler } from 'express';
import type { QueueConfig } from '../queue/config';
import { closeIfClient, queueConnection } from '../queue/connection';
import { QUEUE_KINDS, QUEUE_NAMES } from '../queue/names';
import { InputError } from '../../../shared/src/errors';

export class DashboardConfigError extends InputError {}

export interface DashboardCredentials {
  readonly user: string;
  readonly password: string;
}

export function dashboardCredentials(env: NodeJS.ProcessEnv): DashboardCredentials {
  const user = env.DASHBOARD_USER?.trim();
  const password = env.DASHBOARD_PASSWORD ?? '';
  if (!user || !password) {
    throw new DashboardConfigError(
      'set DASHBOARD_USER and DASHBOARD_PASSWORD: the dashboard does not start without basic-auth credentials',
    );
  }
  if (password.length < 12) throw new DashboardConfigError('DASHBOARD_PASSWORD must be at least 12 characters');
  return { user, password };
}

/** Constant-time comparison of the Authorization header against the expected credentials. */
export function basicAuth(creds: DashboardCredentials): RequestHandler {
  const expected = crypto.createHash('sha256').update(`${creds.user}:${creds.password}`).digest();
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    const given = m ? crypto.createHash('sha256').update(Buffer.from(m[1], 'base64').toString('utf8')).digest() : null;
    if (given && crypto.timingSafeEqual(given, expected)) return next();
    res
      .set('WWW-Authenticate', 'Basic realm="MOOC Desk queues", charset="UTF-8"')
      .status(401)
      .type('text/plain')
      .send('Authentication required\n');
  };
}

export interface Dashboard {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startDashboard(
  config: QueueConfig,
  creds: DashboardCredentials,
  options: { port?: number; host?: string } = {},
): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const connection = queueConnection(config, 'worker');
  const queues = QUEUE_KINDS.map(
    (k) => new Queue(QUEUE_NAMES[k], { connection, prefix: config.MOOC_DESK_QUEUE_PREFIX }),
  );
  for (const q of queues) q.on('error', () => undefined); // reconnects by itself; bull-board shows the state
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'MOOC Desk sync' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(basicAuth(creds));
  // bull-board types its router as `any`; it is an Express router.
  app.use('/', serverAdapter.getRouter() as RequestHandler);
  const server: http.Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 3030, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(queues.map((q) => q.close()));
      await closeIfClient(connection);
    },
  };
}
