/**
 * `npm run demo:render [-- --workbook F.xlsx] [--out demo-render]`: runs the demo into a fresh
 * workbook (a temp file unless given), prints it with LibreOffice and turns the pages into PNGs,
 * so the look (widths, frozen panes, colours, the summaries' Total) can be checked by eye.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { run as demo } from '../cli/commands/demo';
import { missingRenderTools, pdfToPngs, xlsxToPdf } from './libreoffice';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { workbook: { type: 'string' }, out: { type: 'string' } } });
  const missing = missingRenderTools();
  if (missing.length) {
    process.stderr.write(`demo:render needs ${missing.join(', ')} (Debian: libreoffice-calc-nogui poppler-utils)\n`);
    return 2;
  }
  const out = path.resolve(values.out ?? 'demo-render');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-demo-'));
  const workbook = path.resolve(values.workbook ?? path.join(work, 'progress.xlsx'));
  const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
  const code = await demo(['--workbook', workbook], io);
  if (code !== 0) return code;
  const started = Date.now();
  const pdf = xlsxToPdf(workbook, work);
  fs.rmSync(out, { recursive: true, force: true });
  const pages = pdfToPngs(pdf, out);
  fs.copyFileSync(pdf, path.join(out, 'progress.pdf'));
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(
    `Rendered ${workbook} with LibreOffice: ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}/ (page-NN.png, progress.pdf)\n`,
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
