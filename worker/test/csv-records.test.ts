/**
 * The fast CSV splitter against csv-parse, the reader it stands in for: on thousands of generated
 * inputs (quotes, "" escapes, delimiters, CRLF / LF / CR, line breaks in quotes, BOM, Cyrillic
 * split across chunks, empty lines, malformed quoting) it gives csv-parse's records, or hands the
 * input back (null) wherever csv-parse refuses it.
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { TextDecoder } from 'node:util';
import { CsvRecords } from '../src/sources/csv-records';
import { readExportFile } from '../src/sources/export-file';
import { eachTestInTempDir, sha } from './support/temp-dir';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const PLAIN = ['a', 'bc', 'Әлия', ' ', '0', ',', ';', '\t'];
const INSIDE_QUOTES = [...PLAIN, '""', '\r\n', '\n', '\r'];
const BREAKS = ['\r\n', '\n', '\r'];
/** Spliced in now and then: each can break the quoting (or, NUL, be taken oddly by csv-parse). */
const ODD = ['"', '""', '\0', '\r', '\n', ' '];

/** Fields (plain or quoted) between delimiters and line breaks; sometimes something odd spliced in. */
function generate(rand: () => number, delimiter: string): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const run = (xs: readonly string[]) => Array.from({ length: Math.floor(rand() * 4) }, () => pick(xs)).join('');
  const lineBreak = pick(BREAKS);
  let text = rand() < 0.2 ? '\uFEFF' : '';
  for (let r = Math.floor(rand() * 5); r >= 0; r--) {
    const fields = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
      rand() < 0.4 ? `"${run(INSIDE_QUOTES)}"` : run(PLAIN.filter((c) => c !== delimiter)),
    );
    text += fields.join(delimiter) + (r > 0 || rand() < 0.5 ? (rand() < 0.9 ? lineBreak : pick(BREAKS)) : '');
  }
  for (let k = rand() < 0.3 ? 1 + Math.floor(rand() * 2) : 0; k > 0; k--) {
    const at = Math.floor(rand() * (text.length + 1));
    text = text.slice(0, at) + pick(ODD) + text.slice(at);
  }
  return text;
}

/** The splitter fed as readExportFile feeds it: raw chunks through a streaming UTF-8 decoder. */
function splitInChunks(bytes: Buffer, delimiter: string, cuts: number[]): string[][] | null {
  const splitter = new CsvRecords(delimiter);
  const decoder = new TextDecoder('utf-8');
  const out: string[][] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const records = splitter.push(decoder.decode(bytes.subarray(from, to), { stream: true }), false);
    if (records === null) return null;
    out.push(...records);
    from = to;
  }
  const rest = splitter.push(decoder.decode(), true);
  return rest === null ? null : out.concat(rest);
}

function csvParse(bytes: Buffer, delimiter: string): string[][] | Error {
  try {
    const records: string[][] = parse(bytes, { bom: true, relax_column_count: true, delimiter });
    return records;
  } catch (e) {
    return e as Error;
  }
}

describe('CsvRecords gives what csv-parse gives', () => {
  test('on 10,000 generated inputs in random chunks', () => {
    const rand = rng(3);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    let agreed = 0;
    let refused = 0;
    const mismatches: unknown[] = [];
    for (let n = 0; n < 10_000; n++) {
      const delimiter = pick([',', ';', '\t']);
      const text = generate(rand, delimiter);
      const bytes = Buffer.from(text);
      const cuts = [
        ...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => Math.floor(rand() * bytes.length))),
      ];
      cuts.sort((a, b) => a - b);
      const expected = csvParse(bytes, delimiter);
      const got = splitInChunks(bytes, delimiter, cuts);
      if (expected instanceof Error) refused++;
      else agreed++;
      const want = expected instanceof Error ? null : expected;
      // csv-parse takes a quote followed by NUL as closing, then keeps the NUL: odd enough to hand back.
      const handedBack = got === null && text.includes('\0');
      if (!handedBack && JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push({ text, delimiter, cuts, got, want });
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(agreed).toBeGreaterThan(6000);
    expect(refused).toBeGreaterThan(500);
  });

  test('a real-looking export line by line and in one piece', () => {
    const text =
      '\uFEFF"Name","Email","Course Slug","Notes"\r\n"Қасымова, Әлия","a@uni.kz","law","line one\r\nline ""two"""\r\n\r\n"B","b@uni.kz","law",""\r\n';
    const expected = csvParse(Buffer.from(text), ',');
    expect(splitInChunks(Buffer.from(text), ',', [])).toEqual(expected);
    const bytes = Buffer.from(text);
    expect(
      splitInChunks(
        bytes,
        ',',
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(expected);
  });

  test('bad UTF-8 is left to csv-parse (the header check words it)', () => {
    expect(splitInChunks(Buffer.from([0x61, 0xe9, 0x2c, 0x62, 0x0a]), ',', [])).toBeNull();
  });
});

describe('readExportFile: a file the fast path hands back is read again, whole, by csv-parse', () => {
  let dir = '';
  eachTestInTempDir('csv-records-', (d) => (dir = d));
  const header = 'Email,Course Slug,Overall Progress,Completed,Name';

  test('a NUL after a closing quote: the same rows as csv-parse reads them, and the SHA-256 of the whole file', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `l${i}@uni.kz,law,${i % 101},No,"N ${i}"`);
    lines[2500] = 'odd@uni.kz,law,10,No,"Odd"\0tail';
    const file = path.join(dir, 'usage.csv');
    fs.writeFileSync(file, [header, ...lines].join('\n'));
    const batch = await readExportFile(file);
    expect(batch.sha256).toBe(sha(file));
    expect(batch.records).toHaveLength(3000);
    expect(batch.records[2500]).toMatchObject({ line: 2502, record: { email: 'odd@uni.kz', name: 'Odd\0tail' } });
  });
});
