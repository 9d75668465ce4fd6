/** Reading attendance reports: both formats by header name, Meet's duration spellings, errors naming line and column. */
import { meetMinutes, parseAttendanceReport } from '../../src/facilitated/attendance-report';

const rows = (...lines: string[]) => lines.map((l, i) => ({ line: i + 1, cells: l.split(',') }));

describe('attendance reports', () => {
  it.each([
    ['1 hr 5 min', 65],
    ['45 min', 45],
    ['2 hrs', 120],
    ['90 sec', 1.5],
    ['1:05:00', 65],
    ['0:45', 45],
    ['30', 30],
  ])('Meet duration %p is %p minutes', (text, minutes) => expect(meetMinutes(text)).toBe(minutes));

  it.each(['', 'soon', '5 min later'])('Meet duration %p is refused', (text) =>
    expect(() => meetMinutes(text)).toThrow(),
  );

  it('a Zoom report without the meeting block, columns in another order, original names split off', () => {
    const report = parseAttendanceReport(
      'z.csv',
      rows('Guest,Duration (Minutes),User Email,Name (Original Name)', 'No,30,a@x.kz,Ann (Anna Petrova)', ',,,'),
    );
    expect(report).toEqual({
      format: 'Zoom',
      lines: [
        {
          line: 2,
          names: ['Ann', 'Anna Petrova'],
          email: 'a@x.kz',
          minutes: 30,
          raw: 'Guest=No; Duration (Minutes)=30; User Email=a@x.kz; Name (Original Name)=Ann (Anna Petrova)',
        },
      ],
    });
  });

  it('a bad duration names file, line and column', () => {
    expect(() =>
      parseAttendanceReport('m.csv', rows('First name,Last name,Email,Duration', 'A,B,,1 hr', 'C,D,,-5')),
    ).toThrow('m.csv: line 3, column "Duration": "-5" is not a duration');
  });
});
