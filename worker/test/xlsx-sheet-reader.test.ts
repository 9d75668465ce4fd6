/**
 * What the worksheet reader makes of the cell shapes that Excel, LibreOffice, Google Sheets, SDKs
 * and this backend write: each written by hand here, so a faster scanner cannot quietly read one
 * differently (the fast path and the general one must agree on every shape).
 */
import { scanSheet, type ReadContext } from '../src/adapters/xlsx/sheet-reader';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const ctx: ReadContext = {
  sharedStrings: ['shared zero', 'Қазақ тілі', 'a & b'],
  dateStyles: [false, true],
  date1904: false,
};

const sheet = (rows: string, prefix = '') =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><${prefix}worksheet xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${NS}">` +
      `<${prefix}sheetData>${rows}</${prefix}sheetData></${prefix}worksheet>`,
    'utf8',
  );

const cellsOf = (xml: string) => scanSheet(sheet(`<row r="1">${xml}</row>`), ctx).values[0];

test.each([
  ['an inline string', '<c r="A1" t="inlineStr"><is><t>plain text</t></is></c>', 'plain text'],
  [
    'inline UTF-8 (Kazakh, an emoji)',
    '<c r="A1" t="inlineStr"><is><t>Әлия Қасымова 🎓</t></is></c>',
    'Әлия Қасымова 🎓',
  ],
  ['XML escapes', '<c r="A1" t="inlineStr"><is><t>a &amp; b &lt;c&gt; &#x41;&#66;</t></is></c>', 'a & b <c> AB'],
  ['OOXML escapes', '<c r="A1" t="inlineStr"><is><t>line_x000D_end_x005F_x0041_</t></is></c>', 'line\rend_x0041_'],
  ['an underscore that is no escape', '<c r="A1" t="inlineStr"><is><t>snake_case_x</t></is></c>', 'snake_case_x'],
  ['a shared string', '<c r="A1" t="s"><v>1</v></c>', 'Қазақ тілі'],
  ['a shared string with a style', '<c r="A1" s="3" t="s"><v>2</v></c>', 'a & b'],
  ['an integer', '<c r="A1"><v>42</v></c>', 42],
  ['a decimal', '<c r="A1"><v>57.73</v></c>', 57.73],
  ['a negative decimal', '<c r="A1" s="0"><v>-0.125</v></c>', -0.125],
  ['an exponent', '<c r="A1"><v>1.5E-3</v></c>', 0.0015],
  ['17 significant digits', '<c r="A1"><v>0.30000000000000004</v></c>', 0.30000000000000004],
  ['a typed number', '<c r="A1" t="n"><v>7</v></c>', 7],
  ['an empty value', '<c r="A1"><v></v></c>', undefined],
  ['a date serial in a date style', '<c r="A1" s="1"><v>46172.5</v></c>', '2026-05-30 12:00'],
  ['a boolean', '<c r="A1" t="b"><v>1</v></c>', true],
  ['a false boolean', '<c r="A1" t="b"><v>0</v></c>', false],
  ['an ISO date cell', '<c r="A1" t="d"><v>2026-05-31T00:00:00Z</v></c>', '2026-05-31'],
  ['a formula string with its cached value', '<c r="A1" t="str"><f>A2&amp;"x"</f><v>yx &amp; z</v></c>', 'yx & z'],
  ['an error', '<c r="A1" t="e"><v>#N/A</v></c>', '#N/A'],
  ['attributes in another order', '<c t="inlineStr" s="2" r="A1"><is><t>swapped</t></is></c>', 'swapped'],
  [
    'rich text runs with a phonetic hint',
    '<c r="A1" t="inlineStr"><is><r><t>Ab</t></r><r><rPr><b/></rPr><t xml:space="preserve"> cd</t></r><rPh><t>x</t></rPh></is></c>',
    'Ab cd',
  ],
  ['a styled empty cell', '<c r="A1" s="4"/>', undefined],
])('%s', (_, xml, expected) => {
  expect(cellsOf(xml)[0]).toEqual(expected);
});

test('columns by reference, or one after the other where a cell has none; gaps are null', () => {
  expect(cellsOf('<c r="B1"><v>2</v></c><c><v>3</v></c><c r="E1" t="inlineStr"><is><t>e</t></is></c>')).toEqual([
    null,
    2,
    3,
    null,
    'e',
  ]);
});

test('rows by number, or the next one where a row has none; empty and self-closing rows; the byte ranges', () => {
  const rows = '<row r="2"><c r="A2"><v>1</v></c></row><row><c r="A3"><v>2</v></c></row><row r="5"/><row r="7"></row>';
  const xml = sheet(rows);
  const scan = scanSheet(xml, ctx);
  expect(scan.values[1]).toEqual([1]);
  expect(scan.values[2]).toEqual([2]);
  expect(scan.rows.map((r) => r.r)).toEqual([2, 3, 5, 7]);
  expect(scan.rows.map((r) => xml.toString('utf8', r.start, r.end)).join('')).toBe(rows);
  expect(scan.hasFormulas).toBe(false);
});

test('a row number after other attributes, or in single quotes, is still its number', () => {
  const scan = scanSheet(
    sheet(`<row spans="1:2" r="4"><c><v>1</v></c></row><row r='9' ht="20"><c><v>2</v></c></row>`),
    ctx,
  );
  expect(scan.rows.map((r) => r.r)).toEqual([4, 9]);
  expect([scan.values[3], scan.values[8]]).toEqual([[1], [2]]);
});

test('a prefixed namespace (x:) is read, and a formula is noticed', () => {
  const xml = sheet(
    '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c><x:c r="B1"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>',
    'x:',
  );
  const scan = scanSheet(xml, ctx);
  expect(scan.prefix).toBe('x:');
  expect(scan.values[0]).toEqual(['prefixed', 2]);
  expect(scan.hasFormulas).toBe(true);
});

test('a row that is not closed is an error naming the row', () => {
  expect(() => scanSheet(sheet('<row r="4"><c r="A4"><v>1</v></c>'), ctx)).toThrow('row 4 is not closed');
});

test('numbers read from the bytes are the doubles Number() reads, digit for digit', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const texts = Array.from({ length: 5000 }, (_, i) => {
    const n = (rand() - 0.3) * 10 ** Math.floor(rand() * 12);
    return i % 3 ? n.toFixed(i % 9) : String(n);
  });
  const scan = scanSheet(
    sheet(texts.map((t, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${t}</v></c></row>`).join('')),
    ctx,
  );
  expect(scan.values.map((r) => r[0])).toEqual(texts.map(Number));
});
