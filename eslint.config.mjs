// @ts-check
// Lint for the whole repo: `npm run lint` (part of `npm test`). Formatting belongs to prettier
// (`npm run format`), so no stylistic rule is enabled here except a generous max-len that catches
// what prettier cannot wrap (long comments, long chains of string concatenation).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Every linted .ts file belongs to one of these (the same four `npm run typecheck` checks):
// tsconfig.json: shared, worker, bench; addon/tsconfig.json: Apps Script server code;
// addon/tsconfig.client.json: the sidebar (DOM); addon/tsconfig.test.json: addon tests, fakes, dev harness.
// `projectService` cannot be used: it only finds files named tsconfig.json, and the sidebar lives in tsconfig.client.json.
const TS_PROJECTS = [
  './tsconfig.json',
  './addon/tsconfig.json',
  './addon/tsconfig.client.json',
  './addon/tsconfig.test.json',
];

const TESTS = ['**/test/**/*.ts'];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'addon/dist/', 'coverage/', 'test-results/', 'screenshots/', '.bench/'] },

  js.configs.recommended,

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: TS_PROJECTS, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Kept as in recommendedTypeChecked because they catch real bugs: no-floating-promises, no-misused-promises,
      // await-thenable, no-unnecessary-type-assertion, no-unsafe-* (outside tests), unbound-method, no-array-delete,
      // no-implied-eval, prefer-promise-reject-errors, no-require-imports (the lazy requires say so with a disable comment).

      // Promise.all over optional workers (`w?.close()`) mixes promises and undefined on purpose; a plain value alone is still an error.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],

      // Cell values are `unknown`; after a null check TS narrows them to `{}`, and String(cell) is how the code base turns a cell
      // into text. Real object types (a Row, a Date by mistake, a plain record) are still reported.
      '@typescript-eslint/no-base-to-string': [
        'error',
        { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] },
      ],

      // Numbers, booleans and nullish are fine in messages (the recommended defaults); `never` appears in the `default:` branch
      // of an exhaustive switch, where printing the unexpected value is the point. `unknown` and objects stay errors.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowBoolean: true,
          allowNullish: true,
          allowAny: true,
          allowRegExp: true,
          allowNever: true,
        },
      ],

      // `_` marks a value that is deliberately unused (`for await (const _ of rows) n++`, skipped tuple slots).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],

      // Off: an `async` function without `await` is harmless and is the natural way to implement a Promise-returning port
      // (fakes' `async sleep() {}`); the hazards it hints at are covered by no-floating-promises and no-misused-promises.
      '@typescript-eslint/require-await': 'off',
    },
  },

  {
    files: TESTS,
    rules: {
      // Off in tests: they read JSON.parse output and caught errors (`.catch((e) => e)`) and assert on them with expect(),
      // which fails on a wrong field anyway; casts added only to please these rules would hide nothing. On in shipped code.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },

  {
    rules: {
      // 160, not prettier's 140: prettier wraps code at 140, this only catches what it leaves long. URLs, strings,
      // template literals and regexes are exempt (messages and patterns read better unbroken). Core max-len is deprecated
      // (available until ESLint 11); the drop-in replacement is @stylistic/max-len from @stylistic/eslint-plugin.
      'max-len': [
        'error',
        {
          code: 160,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },

  // Plain JS: the bin/ launchers and jest.config.js are CommonJS, addon/build.mjs and this file are ESM; all run on Node.
  // Not type-checked (no tsconfig includes them), so only the untyped recommended rules apply.
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
);
