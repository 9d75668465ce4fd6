import { GRADE_SCALE_TAB, headersOf } from '../../src/layout';
import { bandFor, GradeScaleError, readGradeScale, roundPoints, STANDARD_SCALE } from '../../src/grade-scale';
import { templateWorkbook } from '../eligibility/fixtures';

const letter = (p: number) => bandFor(STANDARD_SCALE, p).letter;

describe('grade scale', () => {
  test('a new workbook carries the standard Kazakhstan scale as data, with the traditional mark', () => {
    const wb = templateWorkbook();
    const tab = wb.read(['Grade scale'])['Grade scale']!;
    expect(tab.header).toEqual(headersOf(GRADE_SCALE_TAB));
    expect(tab.rows[0]).toEqual(['A', 4, 95, 100, 'Excellent (5)']);
    expect(tab.rows[11]).toEqual(['F', 0, 0, 24, 'Unsatisfactory (2)']);
    expect(readGradeScale(tab)).toEqual(STANDARD_SCALE);
    expect(STANDARD_SCALE.map((b) => `${b.letter}:${b.gpa}`).join(' ')).toBe(
      'A:4 A-:3.67 B+:3.33 B:3 B-:2.67 C+:2.33 C:2 C-:1.67 D+:1.33 D:1 FX:0.5 F:0',
    );
  });

  test.each([
    [100, 'A'],
    [95, 'A'],
    [94.5, 'A'], // rounded half up to 95
    [94.49, 'A-'],
    [94, 'A-'],
    [90, 'A-'],
    [89.5, 'A-'],
    [89.49, 'B+'],
    [85, 'B+'],
    [84, 'B'],
    [80, 'B'],
    [79, 'B-'],
    [75, 'B-'],
    [74.5, 'B-'],
    [74, 'C+'],
    [70, 'C+'],
    [69, 'C'],
    [65, 'C'],
    [64, 'C-'],
    [60, 'C-'],
    [59.5, 'C-'],
    [59.4, 'D+'],
    [55, 'D+'],
    [54, 'D'],
    [50, 'D'],
    [49.5, 'D'],
    [49, 'FX'],
    [25, 'FX'],
    [24.5, 'FX'],
    [24, 'F'],
    [0, 'F'],
  ])('%s points → %s', (points, expected) => {
    expect(letter(points)).toBe(expected);
  });

  test('rounding is half up and immune to float noise', () => {
    expect(roundPoints(94.5)).toBe(95);
    expect(18.9 / 0.2).toBe(94.49999999999999);
    expect(roundPoints(18.9 / 0.2)).toBe(95); // float noise for 94.5
    expect(roundPoints(94.4999)).toBe(94);
    expect(roundPoints(57.73)).toBe(58);
  });

  test('scores outside 0–100 have no letter', () => {
    expect(() => letter(-1)).toThrow(GradeScaleError);
    expect(() => letter(100.5)).toThrow('no letter for 100.5 points');
  });

  test('a university may edit the scale (here: no FX, F is 0–49)', () => {
    const rows = STANDARD_SCALE.filter((b) => b.letter !== 'FX' && b.letter !== 'F').map((b) => [
      b.letter,
      b.gpa,
      b.min,
      b.max,
      b.traditional,
    ]);
    rows.push(['F', 0, 0, 49, 'Unsatisfactory (2)']);
    const scale = readGradeScale({ name: 'Grade scale', header: headersOf(GRADE_SCALE_TAB), rows });
    expect(bandFor(scale, 30).letter).toBe('F');
    expect(bandFor(scale, 50).letter).toBe('D');
  });

  test.each([
    [
      'a gap',
      (r: (string | number)[][]) => r.filter((x) => x[0] !== 'B'),
      'Grade scale tab: no letter for 80–84 points',
    ],
    [
      'an overlap',
      (r: (string | number)[][]) => r.map((x) => (x[0] === 'B' ? ['B', 3, 80, 86, 'Good (4)'] : x)),
      'B+ (85–89) overlaps another letter at 85',
    ],
    [
      'a non-number',
      (r: (string | number)[][]) => r.map((x) => (x[0] === 'C' ? ['C', 2, 'sixty-five', 69, 'x'] : x)),
      'Grade scale tab, row 8: min',
    ],
    [
      'min above max',
      (r: (string | number)[][]) => r.map((x) => (x[0] === 'C' ? ['C', 2, 69, 65, 'x'] : x)),
      'row 8: Min % 69 is above Max % 65',
    ],
    [
      'no 100',
      (r: (string | number)[][]) => r.map((x) => (x[0] === 'A' ? ['A', 4, 95, 99, 'x'] : x)),
      'no letter for 100–100 points',
    ],
  ])('a broken scale is refused, naming the problem: %s', (_, edit, message) => {
    const rows = edit(STANDARD_SCALE.map((b) => [b.letter, b.gpa, b.min, b.max, b.traditional]));
    expect(() => readGradeScale({ name: 'Grade scale', header: headersOf(GRADE_SCALE_TAB), rows })).toThrow(message);
  });
});
