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
