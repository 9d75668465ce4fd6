/** Per-test temp folders and file fingerprints for the end-to-end CLI tests. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Gives each test of the file a fresh temp folder (passed to `onCreate`), removed after the test. */
export function eachTestInTempDir(prefix: string, onCreate: (dir: string) => void): void {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    onCreate(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
}

/** A file's SHA-256, to show that a command left it byte-for-byte as it was. */
export const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
