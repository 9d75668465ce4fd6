/** The queue CLI commands as an admin types them, and the dashboard behind basic auth. */
import fs from 'node:fs';
import path from 'node:path';
import { dashboardCredentials, startDashboard, type Dashboard } from '../../src/dashboard/server';
import { closeQueues, openQueues } from '../../src/queue/queues';
import { cli } from '../support/cli';
import { startRedis, type TestRedis } from '../support/redis-server';
import { sampleExport, testConfig, tmpDir } from './helpers';

let redis: TestRedis;
let dir: string;
let exportFile: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = tmpDir();
  exportFile = sampleExport(dir, 20);
});

afterAll(async () => {
  await redis?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const envOf = (config: ReturnType<typeof testConfig>) => ({
  REDIS_URL: config.REDIS_URL,
  MOOC_DESK_QUEUE_PREFIX: config.MOOC_DESK_QUEUE_PREFIX,
});

test('enqueue: queues one job per target and says what happened to a second request', async () => {
  const config = testConfig(redis.url);
  const wb = path.join(dir, 'cli.xlsx');
  const first = await cli(['enqueue', '--export', exportFile, '--workbook', wb], dir, envOf(config));
  expect(first).toMatchObject({ code: 0, stderr: '' });
  expect(first.stdout).toMatch(new RegExp(`Queued sync job \\S+ on sync-xlsx for xlsx:${wb}`));
  const second = await cli(['enqueue', '--export', exportFile, '--workbook', wb], dir, envOf(config));
  expect(second.stdout).toMatch(/was already waiting .* it will now read this source instead/);
  const sheet = await cli(
    [
      'enqueue',
      '--export',
      exportFile,
      '--spreadsheet',
      'https://docs.google.com/spreadsheets/d/1AbC-dEf_123/edit#gid=0',
      '--json',
    ],
    dir,
    envOf(config),
  );
  expect(JSON.parse(sheet.stdout)).toMatchObject({
    queue: 'sync-sheets',
    targetKey: 'sheets:1AbC-dEf_123',
    outcome: 'added',
  });
  const queues = openQueues(config);
  expect(await queues.xlsx.getWaitingCount()).toBe(1);
  expect(await queues.sheets.getWaitingCount()).toBe(1);
  await closeQueues(queues);
});

test('enqueue: usage mistakes are exit 2 with the reason', async () => {
  const config = testConfig(redis.url);
  const noTarget = await cli(['enqueue', '--export', exportFile], dir, envOf(config));
  expect(noTarget.code).toBe(2);
  expect(noTarget.stderr).toMatch(/give one target: --workbook FILE.xlsx or --spreadsheet ID/);
  const missing = await cli(['enqueue', '--export', 'nope.csv', '--workbook', 'w.xlsx'], dir, envOf(config));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--export nope\.csv: no such file/);
  const badDate = await cli(
    ['enqueue', '--export', exportFile, '--workbook', 'w.xlsx', '--as-of', 'yesterday'],
    dir,
    envOf(config),
  );
  expect(badDate.code).toBe(2);
  expect(badDate.stderr).toMatch(/asOf: not a date/);
});

test('schedule: cron + time zone per target, listed, replaced on re-run, removed; bad cron/zone refused', async () => {
  const config = testConfig(redis.url);
  const args = ['schedule', '--spreadsheet', 'sheet-1', '--export', exportFile];
  const ok = await cli([...args, '--cron', '0 6 * * *', '--tz', 'Asia/Almaty'], dir, envOf(config));
  expect(ok.stderr).toBe('');
  expect(ok.stdout).toMatch(
    /Scheduled sync:sheets:sheet-1 on sync-sheets: "0 6 \* \* \*" in Asia\/Almaty; next run \d{4}-\d\d-\d\dT01:00:00.000Z/,
  );
  await cli([...args, '--cron', '30 7 * * 1-5'], dir, envOf(config));
  const list = await cli(['schedule', '--list', '--json'], dir, envOf(config));
  expect(JSON.parse(list.stdout)).toEqual([
    expect.objectContaining({
      queue: 'sync-sheets',
      id: 'sync:sheets:sheet-1',
      pattern: '30 7 * * 1-5',
      tz: 'Asia/Almaty',
    }),
  ]);
  expect((await cli([...args, '--cron', '0 6 * * *', '--tz', 'Mars/Olympus'], dir, envOf(config))).stderr).toMatch(
    /--tz "Mars\/Olympus" is not a time zone/,
  );
  const badCron = await cli([...args, '--cron', 'every morning'], dir, envOf(config));
  expect(badCron.code).toBe(2);
  expect(badCron.stderr).toMatch(/--cron "every morning"/);
  expect((await cli(['schedule', '--spreadsheet', 'sheet-1', '--remove'], dir, envOf(config))).stdout).toBe(
    'Schedule removed.\n',
  );
  expect(JSON.parse((await cli(['schedule', '--list', '--json'], dir, envOf(config))).stdout)).toEqual([]);
});

describe('dashboard', () => {
  let dashboard: Dashboard | undefined;
  afterEach(async () => dashboard?.close());

  test('refuses to start without credentials', async () => {
    const r = await cli(['dashboard'], dir, { DASHBOARD_USER: '', DASHBOARD_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set DASHBOARD_USER and DASHBOARD_PASSWORD/);
    expect(() => dashboardCredentials({ DASHBOARD_USER: 'admin', DASHBOARD_PASSWORD: 'short' })).toThrow(
      /at least 12 characters/,
    );
  });

  test('bull-board on 127.0.0.1 behind basic auth, showing the sync queues', async () => {
    const config = testConfig(redis.url);
    await cli(['enqueue', '--export', exportFile, '--workbook', path.join(dir, 'dash.xlsx')], dir, envOf(config));
    dashboard = await startDashboard(config, { user: 'admin', password: 'correct horse battery' }, { port: 0 });
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const anon = await fetch(dashboard.url);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const auth = (u: string, p: string) => ({
      headers: { authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` },
    });
    expect((await fetch(`${dashboard.url}api/queues`, auth('admin', 'wrong password!'))).status).toBe(401);
    const page = await fetch(dashboard.url, auth('admin', 'correct horse battery'));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = (await (await fetch(`${dashboard.url}api/queues`, auth('admin', 'correct horse battery'))).json()) as {
      queues: { name: string; counts: Record<string, number> }[];
    };
    const byName = Object.fromEntries(api.queues.map((q) => [q.name, q]));
    expect(Object.keys(byName).sort()).toEqual(['sync-sheets', 'sync-xlsx']);
    expect(byName['sync-xlsx'].counts.waiting).toBe(1);
  });
});
