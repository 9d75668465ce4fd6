#!/usr/bin/env node
'use strict';
// Runs a TypeScript entry point without a build step: .ts files are transpiled on load by esbuild
// (type checking is `npm run typecheck`'s job, not the runtime's).
const fs = require('node:fs');
const { transformSync } = require('esbuild');

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function loadTs(module, filename) {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    });
    module._compile(code, filename);
  };
  process.setSourceMapsEnabled?.(true);
}

module.exports = function runTs(entry) {
  return require(require('node:path').resolve(entry));
};

if (require.main === module) {
  const [entry, ...rest] = process.argv.slice(2);
  process.argv = [process.argv[0], entry, ...rest];
  module.exports(entry);
}
