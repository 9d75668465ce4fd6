/**
 * The fast path of row validation (plain checks, no zod call for a well-formed row) must give
 * exactly what the zod schema gives: the same record for a good row, the same errors for a bad one.
 * Rows are drawn from values at every edge the schema draws (caps, 0/100, year 2000, blanks, …).
 */
import {
  EXPORT_COLUMNS,
  ExportRecordSchema,
  exportRowIsValid,
  mapExportHeader,
  parseExportRow,
  type ExportField,
  type RawValue,
} from '../src/export-record';
import { LENGTH_CAPS, TEXT_CAP } from '../src/layout';

const FIELDS = Object.keys(EXPORT_COLUMNS) as ExportField[];
const HEADER = FIELDS.map((f) => EXPORT_COLUMNS[f][0]);
const MAP = mapExportHeader(HEADER);

const long = (n: number) => 'x'.repeat(n);
const blanks: RawValue[] = ['', '   ', null, undefined];
const texts = (cap: number): RawValue[] => [...blanks, 'ok', '  padded  ', long(cap), long(cap + 1), 42, true];
const numbers: RawValue[] = [
  ...blanks,
  '0',
  '100',
  '100.5',
  '-1',
  '-0',
  '+5',
  '57,73',
  '60%',
  '.5',
  '5.',
  'abc',
  '1e3',
  '9'.repeat(400), // digits only, yet Infinity as a number
  0,
  100,
  -3,
  55.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];
const instants: RawValue[] = [
  ...blanks,
  '2026-02-16T14:52:14.222Z',
  '2026-02-29T10:00:00Z',
  '2026-01-31T10:00:00Z',
  '2026-04-31T10:00:00Z',
  '2026-02-16 14:52',
  '2026-02-16T14:52:14+05:00',
  '16.02.2026 14:52',
  '1999-12-31T23:59:59Z',
  '2000-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  'yesterday',
  46000.5,
  1,
  -5,
  1.7e12,
  new Date('2026-02-16T14:52:14Z'),
  new Date('1990-01-01T00:00:00Z'),
];
const yesNos: RawValue[] = [...blanks, 'Yes', 'no', ' TRUE ', '0', '1', 'y', 'N', 'maybe', true, false, 1];

const VALUES: Record<ExportField, RawValue[]> = {
  name: texts(LENGTH_CAPS.fullName),
  email: [
    ...blanks,
    'a@uni.kz',
    '  A.B@Uni.KZ ',
    "o'brien+x@mail.example.org",
    'no-at-sign',
    'a@b',
    'a..b@uni.kz',
    `${long(250)}@uni.kz`,
    `${long(240)}@uni.kz`,
    'ä@uni.kz',
    42,
  ],
  externalId: texts(LENGTH_CAPS.studentId),
  course: texts(LENGTH_CAPS.course),
  courseId: texts(TEXT_CAP),
  slug: texts(LENGTH_CAPS.slug),
  university: texts(TEXT_CAP),
  enrolledAt: instants,
  lastActivityAt: instants,
  progress: numbers,
  estimatedHours: numbers,
  learningHours: numbers,
  completed: yesNos,
  removed: yesNos,
  programSlug: texts(TEXT_CAP),
  completedAt: instants,
  grade: numbers,
  certificateUrl: texts(LENGTH_CAPS.certificateUrl),
};

/** A good row, then one field at a time drawn from its edge values: each failure has a single cause. */
const GOOD: Record<ExportField, RawValue> = {
  ...(Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<ExportField, RawValue>),
  email: 'a@uni.kz',
  slug: 'law',
  progress: '75',
  completed: 'No',
};

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function rows(): RawValue[][] {
  const out: RawValue[][] = [];
  for (const f of FIELDS) for (const v of VALUES[f]) out.push(FIELDS.map((g) => (g === f ? v : GOOD[g])));
  const rand = rng(7); // and mixes: several odd fields in one row
  for (let n = 0; n < 3000; n++) out.push(FIELDS.map((f) => VALUES[f][Math.floor(rand() * VALUES[f].length)]));
  return out;
}

describe('row validation: the fast path and the zod schema agree', () => {
  test('every row gives the record zod gives, or the errors zod gives, and exportRowIsValid says the same', () => {
    let good = 0;
    for (const values of rows()) {
      const input = Object.fromEntries(FIELDS.map((f, i) => [f, values[i]]));
      const expected = ExportRecordSchema.safeParse(input);
      const parsed = parseExportRow(MAP, values, 2);
      expect(exportRowIsValid(MAP, values)).toBe(expected.success);
      if (expected.success) {
        good++;
        expect(parsed).toEqual({ ok: true, line: 2, record: expected.data });
        expect(Object.keys(parsed.ok ? parsed.record : {})).toEqual(Object.keys(expected.data));
      } else {
        expect(parsed.ok).toBe(false);
        const reasons = expected.error.issues.map((i) => {
          const at = FIELDS.indexOf(i.path[0] as ExportField);
          return `column ${String.fromCharCode(65 + at)} "${HEADER[at]}": ${i.message}`;
        });
        expect(parsed.ok ? '' : parsed.rejected.reason).toBe(reasons.join('; '));
      }
    }
    expect(good).toBeGreaterThan(150); // both paths were exercised
  });
});
