/**
 * Local harness: the built sidebars on localhost, with a google.script.run shim that posts to
 * /rpc/<name>, where the same server functions (src/server/endpoints.ts) run in Node over a
 * MemoryWorkbook or an .xlsx file. The user and the locale come from the page URL, so one browser
 * can play admin and mentor in kk, ru and en.
 *
 *   npm run addon:dev -- [--port 8787] [--xlsx demo/addon-demo.xlsx]
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { MemoryWorkbook } from '../../shared/src/memory-workbook';
import type { Plan } from '../../shared/src/workbook';
import {
  ATTENDANCE_TAB,
  AUDIT_TAB,
  CANDIDATES_TAB,
  PARTICIPANTS_HISTORY_TAB,
  PROGRESS_TAB,
  ROSTER_TAB,
  SESSIONS_TAB,
  SETTINGS_TAB,
} from '../../shared/src/layout';
import { SERVER_FUNCTIONS, SIDEBARS, type ServerApi, type SidebarName } from '../src/api';
import { CATALOGS, LANGS } from '../src/i18n';
import type { SyncWorkbook } from '../src/server/context';
import { createServerApi } from '../src/server/endpoints';
import { languageOf } from '../src/server/lang';
import { escapeHtml, renderSidebar } from '../src/server/sidebar';
import { refreshSummaries } from '../src/server/summaries';
import { nodeFileHost } from './node-files';
import { ADMIN, CS_MENTOR, demoPlan, LAW_MENTOR } from './seed';
import { AKTAU_FACILITATOR, FACILITATOR, facilitatedPlan } from './seed-facilitated';

export interface DevServerOptions {
  readonly workbook: SyncWorkbook;
  /** The built add-on (addon/dist or a test's temp build). */
  readonly distDir: string;
  readonly port?: number;
  readonly now?: () => number;
  /** Writes still in flight after a call (the .xlsx file save); awaited before answering. */
  readonly settle?: () => Promise<void>;
}

export interface DevServer {
  readonly url: string;
  close(): Promise<void>;
}

/** What /workbook.json shows. */
const JSON_TABS = [
  SETTINGS_TAB,
  CANDIDATES_TAB,
  ROSTER_TAB,
  PARTICIPANTS_HISTORY_TAB,
  PROGRESS_TAB,
  AUDIT_TAB,
  SESSIONS_TAB,
  ATTENDANCE_TAB,
];

/** google.script.run in the browser: a proxy whose every function posts to /rpc/<name>. */
function shim(user: string, locale: string): string {
  return `<script>(function () {
  var who = ${JSON.stringify({ user, locale }).replace(/</g, '\\u003c')};
  function runner(ok, fail) {
    return new Proxy({}, { get: function (_, name) {
      if (name === 'withSuccessHandler') return function (fn) { return runner(fn, fail); };
      if (name === 'withFailureHandler') return function (fn) { return runner(ok, fn); };
      return function () {
        var args = Array.prototype.slice.call(arguments);
        fetch('/rpc/' + String(name), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: args, user: who.user, locale: who.locale }) })
          .then(function (r) { return r.json(); })
          .then(function (res) { if (res.ok) { ok && ok(res.value); } else { fail && fail(new Error(res.error)); } }, function (e) { fail && fail(e); });
      };
    } });
  }
  window.google = { script: { run: runner(null, null) } };
})();</script>`;
}

function indexPage(): string {
  const users = [ADMIN, LAW_MENTOR, CS_MENTOR, FACILITATOR, AKTAU_FACILITATOR];
  const links = SIDEBARS.flatMap((s) =>
    LANGS.flatMap((lang) =>
      users.map(
        (u) =>
          `<li><a target="frame" href="/sidebar/${s}?lang=${lang}&amp;user=${encodeURIComponent(u)}">${escapeHtml(`${s} · ${lang} · ${u}`)}</a></li>`,
      ),
    ),
  ).join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>MOOC Desk add-on harness</title></head>
<body style="font-family:Arial,sans-serif;display:flex;gap:16px;margin:16px">
<div><h3>MOOC Desk sidebars (local harness)</h3><ul>${links}</ul>
<form method="post" action="/refresh-summaries"><button>Refresh summaries</button></form>
<p><a href="/workbook.json">workbook as JSON</a></p></div>
<iframe name="frame" style="width:300px;height:90vh;border:1px solid #ccc"></iframe></body></html>`;
}

async function body(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { workbook, distDir } = options;
  const now = options.now ?? (() => Date.now());
  const settle = options.settle ?? (async () => undefined);
  const api = (user: string, locale: string): ServerApi =>
    createServerApi({
      workbook,
      userEmail: () => user.trim().toLowerCase(),
      userLocale: () => locale,
      now,
      exclusive: (fn) => fn(),
      files: nodeFileHost(workbook),
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(text);
    };
    try {
      const sidebar = /^\/sidebar\/(\w+)$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html', indexPage());
      if (req.method === 'GET' && sidebar && (SIDEBARS as readonly string[]).includes(sidebar[1])) {
        const name = sidebar[1] as SidebarName;
        const user = url.searchParams.get('user') ?? ADMIN;
        const locale = url.searchParams.get('lang') ?? 'en';
        const lang = languageOf(workbook.read([SETTINGS_TAB.name])[SETTINGS_TAB.name], locale);
        const html = renderSidebar(fs.readFileSync(path.join(distDir, `${name}.html`), 'utf8'), {
          sidebar: name,
          lang,
          messages: CATALOGS[lang],
        });
        return send(200, 'text/html', html.replace('<head>', `<head>\n${shim(user, locale)}`));
      }
      const rpc = /^\/rpc\/(\w+)$/.exec(url.pathname);
      if (req.method === 'POST' && rpc) {
        const name = rpc[1];
        if (!(SERVER_FUNCTIONS as readonly string[]).includes(name))
          return send(404, 'application/json', JSON.stringify({ ok: false, error: `no server function ${name}` }));
        const { args, user, locale } = JSON.parse(await body(req)) as { args: unknown[]; user: string; locale: string };
        try {
          const endpoints = api(user ?? '', locale ?? 'en');
          const value = (endpoints[name as keyof ServerApi] as (...a: unknown[]) => unknown).apply(
            endpoints,
            args ?? [],
          );
          await settle();
          // Like google.script.run: the answer crosses as JSON.
          return send(200, 'application/json', JSON.stringify({ ok: true, value }));
        } catch (e) {
          return send(200, 'application/json', JSON.stringify({ ok: false, error: (e as Error).message }));
        }
      }
      if (req.method === 'POST' && url.pathname === '/refresh-summaries') {
        refreshSummaries(workbook);
        await settle();
        res.writeHead(303, { location: '/' });
        return res.end();
      }
      if (req.method === 'GET' && url.pathname === '/workbook.json') {
        return send(200, 'application/json', JSON.stringify(workbook.read(JSON_TABS.map((t) => t.name)), null, 1));
      }
      return send(404, 'text/plain', 'not found');
    } catch (e) {
      return send(500, 'text/plain', String((e as Error)?.stack ?? e));
    }
  };
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/**
 * An .xlsx file as a synchronous workbook: XlsxWorkbook takes a plan in memory at once and then
 * writes the file (writes in call order); the write is collected here and awaited before the answer.
 */
async function xlsxWorkbook(file: string): Promise<{ workbook: SyncWorkbook; settle: () => Promise<void> }> {
  // Loaded lazily: the .xlsx backend is only needed for this mode. A dynamic import() would bypass bin/run-ts.js
  // (a require hook) and fail on the .ts file under Node 20.
  type XlsxModule = typeof import('../../worker/src/adapters/xlsx-workbook');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load through the .ts require hook
  const { XlsxWorkbook } = require('../../worker/src/adapters/xlsx-workbook') as XlsxModule;
  const fresh = !fs.existsSync(file);
  const xlsx = await XlsxWorkbook.open(file, { create: true });
  if (fresh) {
    await xlsx.apply(demoPlan());
    await xlsx.apply(facilitatedPlan());
  }
  let pending: Promise<void>[] = [];
  return {
    workbook: {
      read: (tabs) => xlsx.read(tabs),
      apply: (plan: Plan) => {
        pending.push(xlsx.apply(plan));
      },
    },
    settle: async () => {
      const all = pending;
      pending = [];
      await Promise.all(all);
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const root = path.resolve(__dirname, '..', '..');
  const distDir = path.join(root, 'addon', 'dist');
  if (!argv.includes('--no-build'))
    execFileSync(process.execPath, [path.join(root, 'addon', 'build.mjs')], { stdio: 'inherit' });
  const file = arg('--xlsx');
  let workbook: SyncWorkbook;
  let settle: (() => Promise<void>) | undefined;
  if (file) ({ workbook, settle } = await xlsxWorkbook(path.resolve(file)));
  else {
    const memory = new MemoryWorkbook();
    memory.apply(demoPlan());
    memory.apply(facilitatedPlan());
    workbook = memory;
  }
  const server = await startDevServer({ workbook, distDir, port: Number(arg('--port') ?? 8787), settle });
  console.log(`MOOC Desk add-on harness: ${server.url}  (workbook: ${file ?? 'in memory, demo data'})`);
  console.log(`  admin:  ${server.url}/sidebar/eligibility?lang=kk&user=${ADMIN}`);
  console.log(`  mentor: ${server.url}/sidebar/approval?lang=ru&user=${LAW_MENTOR}`);
  console.log(`  facilitator: ${server.url}/sidebar/attendance?lang=kk&user=${FACILITATOR}`);
}

if (require.main === module || path.resolve(process.argv[1] ?? '') === __filename) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
