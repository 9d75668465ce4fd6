/**
 * A separate process for the workbook file and lock tests (run with bin/run-ts.js), so they use real
 * PIDs, real start times and a real SIGKILL. It says what it did on stdout, one word a line:
 *
 *   hold FILE        takes the workbook lock, prints "held" and keeps it until killed
 *   race FILE GO     prints "ready", waits for the file GO to exist, then tries the lock once:
 *                    "won" (and keeps it until killed) or "refused" (and exits)
 *   write FILE       starts replacing FILE, prints "writing TMP" half-way through and waits to be killed
 */
import fs from 'node:fs';
import { replaceFileAtomically } from '../../src/adapters/xlsx/file-io';
import { withWorkbookLock, WorkbookLockedError } from '../../src/adapters/xlsx/lock';

const say = (line: string) => process.stdout.write(`${line}\n`);
const forever = () => new Promise<never>(() => setInterval(() => undefined, 60_000));
const quiet = { notice: () => undefined };

async function main([mode, file, go]: string[]): Promise<void> {
  if (mode === 'hold') {
    await withWorkbookLock(file, () => (say('held'), forever()), quiet);
  } else if (mode === 'race') {
    say('ready');
    while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 2));
    try {
      await withWorkbookLock(file, () => (say('won'), forever()), quiet);
    } catch (e) {
      if (!(e instanceof WorkbookLockedError)) throw e;
      say('refused');
    }
  } else if (mode === 'write') {
    await replaceFileAtomically(file, async (tmp) => {
      fs.writeFileSync(tmp, 'half a workbook');
      say(`writing ${tmp}`);
      await forever();
    });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

void main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
