/** Builds the add-on into a fresh temp folder (tests never share or clobber addon/dist). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export function buildToTemp(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-addon-'));
  execFileSync(process.execPath, [path.join(REPO, 'addon', 'build.mjs'), '--out', out], { cwd: REPO, stdio: 'pipe' });
  return out;
}

/** The add-on built once for a test file (before its tests) and removed after them. */
export function useBuiltAddon(): { readonly dir: string; readonly code: string } {
  const built = { dir: '', code: '' };
  beforeAll(() => {
    built.dir = buildToTemp();
    built.code = fs.readFileSync(path.join(built.dir, 'Code.js'), 'utf8');
  });
  afterAll(() => {
    if (built.dir) fs.rmSync(built.dir, { recursive: true, force: true });
  });
  return built;
}
