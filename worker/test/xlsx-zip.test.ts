/**
 * The zip entry a rewritten worksheet becomes: text produced chunk by chunk (binary strings) is
 * deflated as it comes, and the entry must be what one deflate of the whole text would be — same
 * bytes once inflated, same CRC and size — whatever the chunk sizes around the 1 MB blocks.
 */
import zlib from 'node:zlib';
import { deflateChunks, inflate } from '../src/adapters/xlsx/zip';

const binary = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function* rows(n: number, width: number): Iterable<string> {
  for (let r = 1; r <= n; r++)
    yield binary(`<row r="${r}"><c t="inlineStr"><is><t>Әлия ${'x'.repeat(width)}</t></is></c></row>`);
}

test.each([
  ['nothing', [] as string[]],
  ['one small chunk', ['<sheetData/>']],
  ['rows crossing many 1 MB blocks', [...rows(40_000, 60)]],
  ['a chunk larger than a block between small ones', ['<a>', 'y'.repeat(3_000_000), ...rows(10, 5), '</a>']],
  ['chunks that exactly fill a block', Array.from({ length: 8 }, () => 'z'.repeat(1 << 19))],
])('%s: the entry inflates to the text, with its CRC and size', async (_, chunks) => {
  const whole = Buffer.from(chunks.join(''), 'latin1');
  const entry = await deflateChunks('xl/worksheets/sheet1.xml', chunks);
  expect(entry.method).toBe(8);
  expect(entry.size).toBe(whole.length);
  expect(entry.crc).toBe(zlib.crc32(whole));
  expect(inflate(entry).equals(whole)).toBe(true);
});

test('a producer is read once, to its end', async () => {
  let produced = 0;
  function* counted(): Iterable<string> {
    for (const r of rows(30_000, 80)) {
      produced++;
      yield r;
    }
  }
  const entry = await deflateChunks('s.xml', counted());
  expect(produced).toBe(30_000);
  expect(inflate(entry).toString('latin1')).toBe([...rows(30_000, 80)].join(''));
});
