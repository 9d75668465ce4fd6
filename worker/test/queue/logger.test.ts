/** Logs: JSON lines for machines (production, pipes), pino-pretty for a person at a terminal. */
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/queue/logger';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (d) => (text += d));
  return { stream, text: () => text };
}

test('JSON when not on a terminal, and in production even on one', () => {
  for (const [isTTY, env] of [
    [false, {}],
    [true, { NODE_ENV: 'production' }],
  ] as const) {
    const out = capture(isTTY);
    createLogger({ env, stream: out.stream }).info({ jobId: '7' }, 'sync done');
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ level: 30, msg: 'sync done', jobId: '7', name: 'mooc-desk' });
  }
});

test('pretty on a terminal; LOG_LEVEL filters', () => {
  const out = capture(true);
  const log = createLogger({ env: { LOG_LEVEL: 'warn' }, stream: out.stream });
  log.info('hidden');
  log.warn({ target: 'xlsx:/w.xlsx' }, 'target busy');
  // eslint-disable-next-line no-control-regex
  const text = out.text().replace(/\x1b\[\d+m/g, ''); // colours on a terminal
  expect(text).not.toContain('hidden');
  expect(text).toMatch(/WARN.*target busy/);
  expect(text).toContain('target: "xlsx:/w.xlsx"');
  expect(() => JSON.parse(text)).toThrow();
});
