#!/usr/bin/env node
// Builds the Apps Script project into addon/dist (the clasp rootDir):
//   Code.js          server bundle (IIFE, global MoocDesk) + one top-level stub per export
//   <sidebar>.html   each sidebar with its JS and CSS inlined (HtmlService serves single files)
//   appsscript.json  the manifest, copied from the repository root
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const DEFAULT_DIST = path.join(here, 'dist');
// The same list as SIDEBARS in src/api.ts (the bundle test checks every one is built).
const SIDEBARS = ['eligibility', 'approval', 'import', 'students', 'attendance'];
const GLOBAL = 'MoocDesk';

// zod re-exports all ~50 of its message locales (380 kB); the rules only use its English
// default, so the bundle gets that one. Keeps Code.js small enough to load fast on every onOpen.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), '../locales/en.js'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

// csv-parse's Node build needs Node's Buffer; Apps Script has none. Its browser build is the same
// parser (same version, same options) with a Buffer of its own.
const csvParseForAppsScript = {
  name: 'csv-parse-browser',
  setup(b) {
    b.onResolve({ filter: /^csv-parse\/sync$/ }, (args) =>
      b.resolve('csv-parse/browser/esm/sync', { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

/** `outDir`: tests build into their own temp folder so parallel runs never share addon/dist. */
export async function buildAddon({ quiet = false, outDir = DEFAULT_DIST } = {}) {
  const dist = path.resolve(outDir);
  const started = Date.now();
  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });

  const server = await build({
    entryPoints: [path.join(here, 'src/server/main.ts')],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL,
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [zodEnglishOnly, csvParseForAppsScript],
  });
  const bundle = server.outputFiles[0].text;
  // The exports of main.ts are the entry points: evaluate the bundle (it touches no Apps Script
  // service at load time) and list them, so no stub can be forgotten.
  const sandbox = {};
  vm.runInNewContext(`${bundle}\nthis.__names = Object.keys(${GLOBAL});`, sandbox);
  const names = sandbox.__names.filter((n) => /^[A-Za-z]\w*$/.test(n)).sort();
  const stubs = names.map((n) => `function ${n}() { return ${GLOBAL}.${n}.apply(this, arguments); }`).join('\n');
  fs.writeFileSync(
    path.join(dist, 'Code.js'),
    `// MOOC Desk add-on, built by addon/build.mjs from addon/src — do not edit.\n${bundle}\n// Entry points Apps Script can see (menu items, triggers, google.script.run).\n${stubs}\n`,
  );

  const css = fs.readFileSync(path.join(here, 'src/client/style.css'), 'utf8');
  for (const name of SIDEBARS) {
    const client = await build({
      entryPoints: [path.join(here, `src/client/${name}.ts`)],
      bundle: true,
      format: 'iife',
      target: 'es2019',
      platform: 'browser',
      write: false,
      legalComments: 'none',
      logLevel: 'warning',
    });
    const js = client.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
    const template = fs.readFileSync(path.join(here, 'src/client/sidebar.html'), 'utf8');
    const html = template
      .replace('/*INLINE_CSS*/', () => css)
      .replace('/*INLINE_JS*/', () => js)
      .replace('{{sidebar}}', name);
    fs.writeFileSync(path.join(dist, `${name}.html`), html);
  }

  fs.copyFileSync(path.join(root, 'appsscript.json'), path.join(dist, 'appsscript.json'));
  if (!quiet)
    console.log(
      `addon: built ${path.relative(root, dist)} (${names.length} entry points: ${names.join(', ')}) in ${Date.now() - started} ms`,
    );
  return { dist, names };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  buildAddon({ outDir: at > 0 ? process.argv[at + 1] : DEFAULT_DIST }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
