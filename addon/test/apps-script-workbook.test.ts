import type { ValidationRule } from '../../shared/src/layout';
import { workbookContract } from '../../shared/test/workbook-contract';
import {
  AppsScriptWorkbook,
  mergeUpdates,
  SheetChangedError,
  WorkbookBusyError,
} from '../src/server/apps-script-workbook';
import { FakeApp, FakeLock, FakeRange, FakeSpreadsheet, parseTyped } from './fakes/spreadsheet';
import { widthChars, type StoredLook } from '../../shared/src/look';
import type { StoredProtection } from '../../shared/src/memory-workbook';

function open() {
  const ss = new FakeSpreadsheet();
  const lock = new FakeLock();
  const app = new FakeApp();
  return { ss, lock, app, wb: new AppsScriptWorkbook(ss, { app, lock }) };
}

/** The validations in force on a tab of the fake, by the header of their column. */
function validationsInSheet(ss: FakeSpreadsheet, tab: string): ValidationRule[] {
  const sheet = ss.getSheetByName(tab)!;
  const header = sheet.dump()[0] ?? [];
  return [...sheet.validationsInForce()].map(([col, rule]): ValidationRule => {
    const column = String(header[col - 1] ?? '');
    return rule.kind === 'list'
      ? { column, kind: 'list', values: rule.values ?? [] }
      : { column, kind: 'number', min: rule.min!, max: rule.max! };
  });
}

/** Our Protection objects on a tab of the fake, by header; editors without the owner (always one). */
function protectionsInSheet(ss: FakeSpreadsheet, tab: string): StoredProtection[] {
  const sheet = ss.getSheetByName(tab)!;
  const header = sheet.dump()[0] ?? [];
  return sheet.protections
    .filter((p) => p.description.startsWith('MOOC Desk:'))
    .map((p) => ({
      description: p.description,
      ...(p.type === 'RANGE' ? { column: String(header[p.getRange().getColumn() - 1]) } : {}),
      editors: p.warningOnly ? [] : [...p.editors].filter((e) => e !== ss.owner).sort(),
      warningOnly: p.warningOnly,
    }));
}

/** A tab's look in the fake: widths, frozen counts, row formats, and the rows our conditional formats cover. */
function lookInSheet(ss: FakeSpreadsheet, tab: string): StoredLook {
  const sheet = ss.getSheetByName(tab)!;
  const header = (sheet.dump()[0] ?? []).map(String);
  const style = (row: number) => sheet.rowStyles.get(row);
  return {
    widths: Object.fromEntries(header.map((h, i) => [h, widthChars(sheet.getColumnWidth(i + 1))])),
    frozenRows: sheet.getFrozenRows(),
    frozenColumns: sheet.getFrozenColumns(),
    headerBold: !!style(1)?.bold,
    headerWrap: !!style(1)?.wrap,
    totalRows: [...sheet.rowStyles.keys()]
      .filter((r) => r > 1 && style(r)?.bold && style(r)?.borderTop)
      .sort((a, b) => a - b),
    formatRows: Object.fromEntries(
      sheet.getConditionalFormatRules().map((rule) => {
        const r = rule.getRanges()[0] as FakeRange;
        const to = r.openEnded ? null : r.getRow() + r.getNumRows() - 1;
        return [header[r.getColumn() - 1], { from: r.getRow(), to }];
      }),
    ),
  };
}

workbookContract('Apps Script (SpreadsheetApp fake)', () => {
  const { ss, lock, app } = open();
  const self = () => ss.effectiveUser;
  // A fresh adapter over the same spreadsheet is what the next execution would see.
  return {
    workbook: new AppsScriptWorkbook(ss, { app, lock, self }),
    reopen: () => new AppsScriptWorkbook(ss, { app, lock, self }),
    readValidations: (tab) => validationsInSheet(ss, tab),
    readProtections: (tab) => protectionsInSheet(ss, tab),
    readLook: (tab) => lookInSheet(ss, tab),
    self: ss.effectiveUser,
  };
});

describe('Apps Script protections', () => {
  test("range.protect() per column and sheet.protect() for a whole tab; a person's protection stays; the owner is never removed", () => {
    const { ss, lock, app } = open();
    ss.effectiveUser = 'admin@uni.kz';
    const wb = new AppsScriptWorkbook(ss, { app, lock, self: () => ss.effectiveUser });
    wb.apply({ tabs: [{ tab: 'Progress', create: { header: ['Email', 'Status', 'Points'] } }] });
    const sheet = ss.getSheetByName('Progress')!;
    const theirs = sheet.getRange(1, 1, 10, 1).protect().setDescription('dean: e-mails');
    wb.apply({
      tabs: [
        {
          tab: 'Progress',
          protections: [
            { description: 'MOOC Desk: approval columns', columns: ['Points'], editors: ['mentor@uni.kz'] },
            { description: 'MOOC Desk: sync-owned columns', columns: ['Status'], warningOnly: true },
            { description: 'MOOC Desk: whole tab', editors: ['mentor@uni.kz'] },
          ],
        },
      ],
    });
    const ours = sheet.protections.filter((p) => p !== theirs);
    expect(
      ours.map((p) => [
        p.type,
        p.description,
        p.type === 'RANGE' ? p.getRange().a1() : '',
        p.warningOnly,
        [...p.editors].sort(),
        p.domainEdit,
      ]),
    ).toEqual([
      [
        'RANGE',
        'MOOC Desk: approval columns',
        'C1:C1000',
        false,
        ['admin@uni.kz', 'mentor@uni.kz', 'owner@uni.kz'],
        false,
      ],
      ['RANGE', 'MOOC Desk: sync-owned columns', 'B1:B1000', true, ['admin@uni.kz', 'owner@uni.kz'], true],
      ['SHEET', 'MOOC Desk: whole tab', '', false, ['admin@uni.kz', 'mentor@uni.kz', 'owner@uni.kz'], false],
    ]);
    // Another admin re-runs Set up with fewer editors: corrected in place, nothing stacked.
    ss.effectiveUser = 'admin2@uni.kz';
    wb.apply({
      tabs: [
        {
          tab: 'Progress',
          protections: [{ description: 'MOOC Desk: approval columns', columns: ['Points'], editors: [] }],
        },
      ],
    });
    expect(sheet.protections).toEqual([theirs, ours[0]]);
    expect(ours[0].log.slice(-2)).toEqual([
      'addEditors(admin2@uni.kz)',
      'removeEditors(owner@uni.kz,admin@uni.kz,mentor@uni.kz)',
    ]);
    expect([...ours[0].editors].sort()).toEqual(['admin2@uni.kz', 'owner@uni.kz']);
    expect(theirs.removed).toBe(false);
  });
});

describe('the fake parses like Sheets does (so the adapter tests mean something)', () => {
  test('formula, number, date, boolean unless prefixed with an apostrophe', () => {
    expect(parseTyped('=1+1', 'Asia/Almaty', undefined)).toEqual({ value: 2, formula: '=1+1' });
    expect(parseTyped('00123', 'Asia/Almaty', undefined).value).toBe(123);
    expect(parseTyped('2020-01-01', 'Asia/Almaty', undefined).value).toBeInstanceOf(Date);
    expect(parseTyped('TRUE', 'Asia/Almaty', undefined).value).toBe(true);
    expect(parseTyped("'=1+1", 'Asia/Almaty', undefined)).toEqual({ value: '=1+1' });
    expect(parseTyped('2020-01-01', 'Asia/Almaty', '@').value).toBe('2020-01-01');
  });

  test('a raw setValues of formula-like text would corrupt it: the adapter must not write that way', () => {
    const ss = new FakeSpreadsheet();
    const sheet = ss.insertSheet('T');
    sheet.getRange(1, 1, 1, 3).setValues([['=HYPERLINK("http://evil.example","x")', '2020-02-16 19:52', '00123']]);
    const [row] = sheet.getRange(1, 1, 1, 3).getValues();
    expect(row[0]).toBe('#NAME?');
    expect(row[1]).toBeInstanceOf(Date);
    expect(row[2]).toBe(123);
  });
});

describe('AppsScriptWorkbook', () => {
  test('updates are merged into rectangles and never written cell by cell', () => {
    const rects = mergeUpdates([
      { row: 0, col: 1, value: 'a' },
      { row: 0, col: 2, value: 'b' },
      { row: 1, col: 1, value: 'c' },
      { row: 1, col: 2, value: 'd' },
      { row: 5, col: 7, value: 'e' },
    ]);
    expect(rects).toEqual([
      {
        row: 0,
        col: 1,
        values: [
          ['a', 'b'],
          ['c', 'd'],
        ],
      },
      { row: 5, col: 7, values: [['e']] },
    ]);
  });

  test('a 2,000-row sync-sized plan costs a handful of calls, not one per cell', () => {
    const { ss, wb } = open();
    const rows = Array.from({ length: 2000 }, (_, i) => [`s${i}@x.kz`, `Name ${i}`, i % 101, null]);
    wb.apply({
      tabs: [{ tab: 'Progress', create: { header: ['Email', 'Name', 'Engagement %', 'Status'] }, appends: rows }],
    });
    const before = ss.stats.setValues;
    // Status of every row changes: one column, 2,000 consecutive rows → one rectangle.
    wb.apply({ tabs: [{ tab: 'Progress', updates: rows.map((_, i) => ({ row: i, col: 3, value: 'In progress' })) }] });
    expect(ss.stats.setValues - before).toBe(1);
    expect(ss.getSheetByName('Progress')!.getMaxRows()).toBeGreaterThanOrEqual(2001);
    expect(wb.read(['Progress']).Progress!.rows[1999]).toEqual(['s1999@x.kz', 'Name 1999', 1999 % 101, 'In progress']);
  });

  test('writes hold the document lock and flush before releasing it', () => {
    const { lock, app, wb } = open();
    wb.apply({ tabs: [{ tab: 'T', create: { header: ['A'] } }] });
    expect(lock.acquisitions).toBe(1);
    expect(lock.held).toBe(false);
    expect(app.flushes).toBe(1);
  });

  test('a write while another user holds the lock fails cleanly and writes nothing', () => {
    const { ss, lock, wb } = open();
    lock.heldElsewhere = true;
    expect(() => wb.apply({ tabs: [{ tab: 'T', create: { header: ['A'] } }] })).toThrow(WorkbookBusyError);
    expect(ss.getSheetByName('T')).toBeNull();
  });

  test('the lock is re-entrant inside one read-plan-write unit', () => {
    const { lock, wb } = open();
    wb.withLock(() => {
      wb.apply({ tabs: [{ tab: 'T', create: { header: ['A'] }, appends: [['x']] }] });
      wb.apply({ tabs: [{ tab: 'T', appends: [['y']] }] });
    });
    expect(lock.acquisitions).toBe(1);
    expect(wb.read(['T']).T!.rows).toEqual([['x'], ['y']]);
  });

  test('dates a human typed read back as text in the spreadsheet zone; blanks as null', () => {
    const { ss, wb } = open();
    const sheet = ss.insertSheet('Courses');
    sheet.getRange(1, 1, 3, 2).setValues([
      ['Course slug', 'Deadline'],
      ['law-101', '2026-05-31'],
      ['law-102', ''],
    ]);
    expect(wb.read(['Courses']).Courses!.rows).toEqual([
      ['law-101', '2026-05-31'],
      ['law-102', null],
    ]);
  });

  test('a user conditional format on another column survives; ours are replaced, not stacked', () => {
    const { ss, app, wb } = open();
    wb.apply({ tabs: [{ tab: 'S', create: { header: ['School', 'Late', 'Note'] } }] });
    const sheet = ss.getSheetByName('S')!;
    const userRule = app
      .newConditionalFormatRule()
      .setRanges([sheet.getRange(2, 3, 10, 1)])
      .whenTextEqualTo('x')
      .build();
    sheet.setConditionalFormatRules([userRule]);
    const plan = { tabs: [{ tab: 'S', formats: [{ kind: 'redWhenPositive' as const, column: 'Late' }] }] };
    wb.apply(plan);
    wb.apply(plan);
    expect(sheet.getConditionalFormatRules()).toHaveLength(2);
    expect(sheet.getConditionalFormatRules()[0]).toBe(userRule);
  });

  test('header cells are bold and frozen on a created tab; wide headers grow the grid', () => {
    const { ss, wb } = open();
    const header = Array.from({ length: 30 }, (_, i) => `C${i}`);
    wb.apply({ tabs: [{ tab: 'Wide', create: { header } }] });
    const sheet = ss.getSheetByName('Wide')!;
    expect(sheet.frozenRows).toBe(1);
    expect(sheet.headerBold).toBe(true);
    expect(wb.read(['Wide']).Wide!.header).toEqual(header);
  });
});

describe('mergeUpdates', () => {
  test('column-shaped changes (a check leaving one column blank on some rows) merge down the columns', () => {
    const updates = [];
    for (let row = 0; row < 100; row++) {
      updates.push({ row, col: 9, value: 'ELIGIBLE' });
      if (row % 2) updates.push({ row, col: 10, value: 'detail' });
      updates.push({ row, col: 11, value: '2026-05-01 11:00' });
    }
    const rects = mergeUpdates(updates);
    expect(rects.length).toBeLessThanOrEqual(52);
    // Exactly the planned cells, each once, with its value.
    const written = rects.flatMap((r) =>
      r.values.flatMap((line, i) => line.map((v, j) => `${r.row + i}:${r.col + j}=${v}`)),
    );
    expect(written.sort()).toEqual(updates.map((u) => `${u.row}:${u.col}=${u.value}`).sort());
  });
});

describe('people editing while a sidebar action runs', () => {
  test('rows sorted between read and write: SheetChangedError, nothing written; the next read-plan-write lands on the right row', () => {
    const { ss, wb } = open();
    wb.apply({
      tabs: [
        {
          tab: 'Progress',
          create: { header: ['Email', 'Course slug', 'Points'] },
          appends: [
            ['a@x.kz', 'law', null],
            ['b@x.kz', 'law', null],
          ],
        },
      ],
    });
    const snap = wb.read(['Progress']);
    expect(snap.Progress!.rows[1][0]).toBe('b@x.kz');
    // A mentor sorts the tab Z→A in the browser while the approval of b@x.kz (row index 1) is planned.
    const sheet = ss.getSheetByName('Progress')!;
    sheet.getRange(2, 1, 2, 2).setValues([
      ["'b@x.kz", "'law"],
      ["'a@x.kz", "'law"],
    ]);
    const approveB = { tabs: [{ tab: 'Progress', updates: [{ row: 1, col: 2, value: 91 }], anchorColumns: [0, 1] }] };
    expect(() => wb.apply(approveB)).toThrow(SheetChangedError);
    expect(sheet.getRange(2, 3, 2, 1).getValues()).toEqual([[''], ['']]);
    // A fresh read sees b@x.kz on row index 0 now.
    const fresh = wb.read(['Progress']);
    const row = fresh.Progress!.rows.findIndex((r) => r[0] === 'b@x.kz');
    wb.apply({ tabs: [{ tab: 'Progress', updates: [{ row, col: 2, value: 91 }], anchorColumns: [0, 1] }] });
    expect(sheet.getRange(2, 1, 2, 3).getValues()).toEqual([
      ['b@x.kz', 'law', 91],
      ['a@x.kz', 'law', ''],
    ]);
  });

  test('a row inserted between read and delete: SheetChangedError, nothing deleted; deletes go bottom first with deleteRow', () => {
    const { ss, wb } = open();
    wb.apply({
      tabs: [
        {
          tab: 'Roster',
          create: { header: ['Email', 'Cohort'] },
          appends: [
            ['a@x.kz', 'S'],
            ['b@x.kz', 'S'],
            ['c@x.kz', 'S'],
          ],
        },
      ],
    });
    wb.read(['Roster']);
    const sheet = ss.getSheetByName('Roster')!;
    sheet.insertRowsAfter(1, 1);
    sheet.getRange(2, 1, 1, 2).setValues([["'new@x.kz", "'S"]]);
    expect(() => wb.apply({ tabs: [{ tab: 'Roster', deleteRows: [1], anchorColumns: [0] }] })).toThrow(
      SheetChangedError,
    );
    expect(sheet.dump().map((r) => r[0])).toEqual(['Email', 'new@x.kz', 'a@x.kz', 'b@x.kz', 'c@x.kz']);
    wb.read(['Roster']);
    const calls: number[] = [];
    const deleteRow = sheet.deleteRow.bind(sheet);
    sheet.deleteRow = (n: number) => (calls.push(n), deleteRow(n));
    wb.apply({ tabs: [{ tab: 'Roster', deleteRows: [1, 3], anchorColumns: [0] }] });
    expect(calls).toEqual([5, 3]);
    expect(sheet.dump().map((r) => r[0])).toEqual(['Email', 'new@x.kz', 'b@x.kz']);
  });
});
