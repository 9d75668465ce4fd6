import {
  ATTENDANCE_TAB,
  CANDIDATES_TAB,
  GROUPS_TAB,
  HISTORY_TAB,
  LAYOUT,
  PARTICIPANTS_TAB,
  PARTICIPANT_CATEGORIES,
  PROGRESS_TAB,
  ROSTER_TAB,
  SESSION_MODES,
  SUMMARY_BY_SCHOOL_TAB,
  SUMMARY_TABS,
} from '../src/layout';
import { formattedRows, headerHeight, headerLines, LINE_POINTS, lookOf, widthChars, widthPixels } from '../src/look';

const keysOf = (tab: typeof PROGRESS_TAB, n: number) => tab.columns.slice(0, n).map((c) => c.key);

describe('the header row height a file must carry', () => {
  test('lines of a bold header wrapped at spaces, as LibreOffice prints them', () => {
    expect(headerLines('Average engagement %', 12)).toBe(3); // Average / engagement / %
    expect(headerLines('Average engagement %', 14)).toBe(2); // Average / engagement %
    expect(headerLines('Ready for approval', 11)).toBe(2);
    expect(headerLines('Enrolled', 11)).toBe(1);
    expect(headerLines('Orientation', 5)).toBe(3); // a word wider than its column breaks
  });

  test("the summaries' header is three lines high; a header that fits on one line gets no height", () => {
    const look = lookOf(SUMMARY_BY_SCHOOL_TAB);
    expect(
      headerHeight(
        SUMMARY_BY_SCHOOL_TAB.columns.map((c) => c.header),
        look.widths!,
      ),
    ).toBe(3 * LINE_POINTS);
    expect(headerHeight(['Email', 'Note'], { Email: 30, Note: 40 })).toBeUndefined();
    expect(headerHeight(['Email'], {})).toBeUndefined();
  });
});

describe('the look of the layout (issue 12)', () => {
  test('every column of every tab has a width, by its header', () => {
    for (const tab of LAYOUT) {
      const widths = lookOf(tab).widths!;
      expect(Object.keys(widths)).toEqual(tab.columns.map((c) => c.header));
    }
  });

  test('typical values fit without being cut: school names, e-mails, date-times, statuses', () => {
    const w = lookOf(PROGRESS_TAB).widths!;
    expect(w.School).toBeGreaterThanOrEqual('School of Engineering and Digital Sciences'.length);
    expect(w.Email).toBeGreaterThanOrEqual('aliya.kassymova@nu.edu.kz'.length);
    for (const h of ['Enrolled at', 'Last activity at', 'Completed at', 'Approved at'])
      expect(w[h]).toBeGreaterThanOrEqual('2020-02-16 19:52'.length);
    expect(w.Status).toBeGreaterThanOrEqual('Ready for approval'.length);
    expect(w['Engagement %']).toBeGreaterThanOrEqual('Engagement %'.length);
    const summary = lookOf(SUMMARY_BY_SCHOOL_TAB).widths!;
    expect(summary.School).toBeGreaterThanOrEqual('School of Engineering and Digital Sciences'.length);
    const history = lookOf(HISTORY_TAB).widths!;
    expect(history.School).toBeGreaterThanOrEqual('School of Engineering and Digital Sciences'.length);
    expect(history.Date).toBeLessThan(20); // '2020-03-01', not a school's width
  });

  test('identity columns are frozen: Email and Full name in Progress and Roster, up to Full name in Candidates', () => {
    expect(keysOf(PROGRESS_TAB, lookOf(PROGRESS_TAB).frozenColumns!)).toEqual(['email', 'fullName']);
    expect(keysOf(ROSTER_TAB, lookOf(ROSTER_TAB).frozenColumns!)).toEqual(['email', 'fullName']);
    expect(keysOf(CANDIDATES_TAB, lookOf(CANDIDATES_TAB).frozenColumns!).at(-1)).toBe('fullName');
  });

  test('facilitated tabs: who is frozen at the left, and the English pick-list values fit', () => {
    expect(keysOf(PARTICIPANTS_TAB, lookOf(PARTICIPANTS_TAB).frozenColumns!)).toEqual(['email', 'fullName']);
    expect(keysOf(ATTENDANCE_TAB, lookOf(ATTENDANCE_TAB).frozenColumns!)).toEqual(['sessionId', 'email']);
    expect(keysOf(GROUPS_TAB, lookOf(GROUPS_TAB).frozenColumns!)).toEqual(['group']);
    const longest = (values: readonly string[]) => Math.max(...values.map((v) => v.length));
    expect(lookOf(PARTICIPANTS_TAB).widths!.Category).toBeGreaterThanOrEqual(longest(PARTICIPANT_CATEGORIES));
    expect(lookOf(GROUPS_TAB).widths!.Mode).toBeGreaterThanOrEqual(longest(SESSION_MODES));
    expect(lookOf(PROGRESS_TAB).widths!.Facilitator).toBeGreaterThanOrEqual('aliya.kassymova@nu.edu.kz'.length);
  });

  test('summaries set their Total apart; other tabs have none', () => {
    for (const tab of SUMMARY_TABS) expect(lookOf(tab)).toMatchObject({ totalRow: true, frozenColumns: 1 });
    expect(lookOf(PROGRESS_TAB).totalRow).toBeUndefined();
  });

  test('formats stop above the Total of a rebuilt report, and run to the bottom elsewhere', () => {
    expect(formattedRows({ totalRow: true }, 5)).toEqual({ from: 2, to: 5 }); // rows 2–5 data, 6 the Total
    expect(formattedRows({ totalRow: true }, 1)).toBeNull(); // only the Total: nothing to colour
    expect(formattedRows({ totalRow: true })).toEqual({ from: 2, to: null });
    expect(formattedRows(undefined, 5)).toEqual({ from: 2, to: null });
  });

  test('characters ↔ pixels round-trip (Google Sheets stores pixels)', () => {
    for (let c = 5; c <= 60; c++) expect(widthChars(widthPixels(c))).toBe(c);
    expect(widthPixels(13)).toBe(96); // about Google's default 100 px column
  });
});
