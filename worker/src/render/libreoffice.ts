/**
 * Renders a workbook as a user would see it printed: LibreOffice (headless) turns the .xlsx into a
 * PDF — conditional formats, widths and frozen panes as LibreOffice understands the file — and
 * poppler turns pages into images. Used by `npm run demo:render` and by the rendering test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RENDER_TOOLS = ['soffice', 'pdftoppm', 'pdftotext'] as const;

/** The tools of RENDER_TOOLS this machine lacks (Debian: libreoffice-calc-nogui, poppler-utils). */
export function missingRenderTools(): string[] {
  return RENDER_TOOLS.filter((tool) => spawnSync(tool, ['-v'], { stdio: 'ignore' }).error !== undefined);
}

function run(cmd: string, args: readonly string[], timeoutMs: number): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd} failed: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/**
 * `book.xlsx` → `outDir/book.pdf`. Each run gets its own LibreOffice profile, so it neither waits
 * for nor disturbs another LibreOffice (a user's, a parallel test's).
 */
export function xlsxToPdf(xlsx: string, outDir: string, timeoutMs = 600_000): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-soffice-'));
  try {
    run(
      'soffice',
      ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', outDir, xlsx],
      timeoutMs,
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const pdf = path.join(outDir, `${path.basename(xlsx, path.extname(xlsx))}.pdf`);
  if (!fs.existsSync(pdf)) throw new Error(`soffice wrote no PDF for ${xlsx}`);
  return pdf;
}

/** Every page as `outDir/page-NN.png`, at `dpi`; returns the files in page order. */
export function pdfToPngs(pdf: string, outDir: string, dpi = 60): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  run('pdftoppm', ['-png', '-r', String(dpi), pdf, path.join(outDir, 'page')], 600_000);
  return fs
    .readdirSync(outDir)
    .filter((f) => /^page-\d+\.png$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    .map((f) => path.join(outDir, f));
}

/** The text of each page (pdftotext separates pages with a form feed). */
export function pdfPagesText(pdf: string): string[] {
  return run('pdftotext', ['-layout', pdf, '-'], 120_000).split('\f');
}

/** One page (1-based) as RGB pixels. */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes a pixel, row by row. */
  readonly rgb: Buffer;
}

export function pdfPageBitmap(pdf: string, page: number, dpi = 40): Bitmap {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mooc-desk-page-'));
  try {
    const root = path.join(dir, 'p');
    run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-singlefile', pdf, root], 120_000);
    return readPpm(fs.readFileSync(`${root}.ppm`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A binary PPM (P6, max value 255), as pdftoppm writes it. */
export function readPpm(file: Buffer): Bitmap {
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(file[at]))) at++;
    if (file[at] === 0x23)
      while (file[at] !== 0x0a) at++; // a comment line
    else {
      const start = at;
      while (!/\s/.test(String.fromCharCode(file[at]))) at++;
      fields.push(file.subarray(start, at).toString('ascii'));
    }
  }
  const [magic, w, h, max] = fields;
  if (magic !== 'P6' || max !== '255') throw new Error(`not an 8-bit binary PPM (${magic}, max ${max})`);
  const width = Number(w);
  const height = Number(h);
  return { width, height, rgb: file.subarray(at + 1, at + 1 + width * height * 3) };
}

/** Pixels within `tolerance` (per channel) of the colour `hex` (`FFC7CE`). */
export function countColour(bitmap: Bitmap, hex: string, tolerance = 6): number {
  const want = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i + 2 < bitmap.rgb.length; i += 3) {
    if (want.every((v, k) => Math.abs(bitmap.rgb[i + k] - v) <= tolerance)) n++;
  }
  return n;
}
