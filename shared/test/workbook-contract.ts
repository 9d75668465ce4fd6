/**
 * The contract every Workbook backend passes (in-memory, .xlsx, Sheets API, Apps Script).
 * Call `workbookContract(name, open)` from a backend's own test file.
 */
import type { Cell, Row } from '../src/cells';
import type { ValidationRule } from '../src/layout';
import type { StoredLook } from '../src/look';
import type { Plan, Protection, Snapshot, Workbook } from '../src/workbook';
import { sortProtections, storedProtections, type StoredProtection } from '../src/memory-workbook';

export interface ContractSubject {
  /** A new, empty workbook. */
  readonly workbook: Workbook;
  /** The same workbook as a fresh reader would see it (re-opened from disk / re-fetched). */
  reopen(): Promise<Workbook> | Workbook;
  /**
   * The data validations on a tab's data rows as stored (the file, the API, the sheet), by the
   * header of the column they sit on, in any order. The port writes validations but does not
   * read them, so each backend's test supplies this.
   */
  readValidations(tab: string): Promise<ValidationRule[]> | ValidationRule[];
  /**
   * Our protections on a tab as stored (the API's protected ranges, the sheet's Protection
   * objects), one per column, editors lower-cased and sorted. Absent for a backend without
   * per-user protection (.xlsx): the contract then checks that a plan with protections applies.
   */
  readProtections?(tab: string): Promise<StoredProtection[]> | StoredProtection[];
  /**
   * The look of a tab as stored (widths, frozen rows and columns, header style, Total rows, rows
   * the conditional formats cover). Absent where it cannot be read back: the contract then checks
   * that a plan with a look applies and leaves the data as it was.
   */
  readLook?(tab: string): Promise<StoredLook> | StoredLook;
  /** The account the backend writes as (kept as an editor of every protection it makes). */
  readonly self?: string;
  cleanup?(): Promise<void> | void;
}

/** Blank cells may come back as '' or null, and trailing blanks may be cut: compare normalised. */
export function normalizeRows(rows: readonly Row[], width: number): Cell[][] {
  return rows.map((r) => Array.from({ length: width }, (_, i) => (r[i] === '' || r[i] === undefined ? null : r[i])));
}

const byColumn = (rules: readonly ValidationRule[]) => [...rules].sort((a, b) => a.column.localeCompare(b.column));

async function readOne(wb: Workbook, tab: string) {
  const snap: Snapshot = await wb.read([tab]);
  return snap[tab];
}

export function workbookContract(name: string, open: () => Promise<ContractSubject> | ContractSubject): void {
  describe(`Workbook contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => {
      subject = await open();
    });
    afterEach(async () => {
      await subject.cleanup?.();
    });

    const seed: Plan = {
      tabs: [
        {
          tab: 'People',
          create: { header: ['Email', 'Name', 'Score', 'Note'] },
          appends: [
            ['a@x.kz', 'Әлия Қасымова', 97.22, null],
            ['b@x.kz', 'Борис Ёлкин', 0, 'keep me'],
          ],
        },
      ],
    };

    test('a tab it does not have is absent from the snapshot', async () => {
      const snap = await subject.workbook.read(['Nope']);
      expect(snap.Nope).toBeUndefined();
    });

    test('creates a tab and reads back header and rows as written (text, numbers, Unicode, blanks)', async () => {
      await subject.workbook.apply(seed);
      const tab = await readOne(await subject.reopen(), 'People');
      expect(tab?.header).toEqual(['Email', 'Name', 'Score', 'Note']);
      expect(normalizeRows(tab!.rows, 4)).toEqual([
        ['a@x.kz', 'Әлия Қасымова', 97.22, null],
        ['b@x.kz', 'Борис Ёлкин', 0, 'keep me'],
      ]);
    });

    test('updates only the addressed cells and appends below the last row', async () => {
      await subject.workbook.apply(seed);
      await subject.workbook.apply({
        tabs: [
          { tab: 'People', updates: [{ row: 1, col: 2, value: 61.5 }], appends: [['c@x.kz', 'Ciaran', 12, null]] },
        ],
      });
      const tab = await readOne(await subject.reopen(), 'People');
      expect(normalizeRows(tab!.rows, 4)).toEqual([
        ['a@x.kz', 'Әлия Қасымова', 97.22, null],
        ['b@x.kz', 'Борис Ёлкин', 61.5, 'keep me'],
        ['c@x.kz', 'Ciaran', 12, null],
      ]);
    });

    test('a snapshot read before an apply still reads as it was (backends may share rows, never edit them)', async () => {
      await subject.workbook.apply(seed);
      const before = await readOne(subject.workbook, 'People');
      const copy = JSON.stringify(before);
      await subject.workbook.apply({
        tabs: [{ tab: 'People', updates: [{ row: 0, col: 1, value: 'changed' }], deleteRows: [1] }],
      });
      expect(JSON.stringify(before)).toBe(copy);
      expect((await readOne(subject.workbook, 'People'))!.rows[0][1]).toBe('changed');
    });

    test('adds columns at the right end of the header without moving data', async () => {
      await subject.workbook.apply(seed);
      await subject.workbook.apply({
        tabs: [{ tab: 'People', addColumns: ['Flags'], updates: [{ row: 0, col: 4, value: 'LATE' }] }],
      });
      const tab = await readOne(await subject.reopen(), 'People');
      expect(tab?.header).toEqual(['Email', 'Name', 'Score', 'Note', 'Flags']);
      expect(normalizeRows(tab!.rows, 5)[0]).toEqual(['a@x.kz', 'Әлия Қасымова', 97.22, null, 'LATE']);
    });

    test('replace rewrites a report tab whole, leaving no stale rows', async () => {
      await subject.workbook.apply(seed);
      await subject.workbook.apply({
        tabs: [{ tab: 'People', replace: { header: ['School', 'Enrolled'], rows: [['Law', 3]] } }],
      });
      const tab = await readOne(await subject.reopen(), 'People');
      expect(tab?.header.filter((h) => h !== '')).toEqual(['School', 'Enrolled']);
      expect(normalizeRows(tab!.rows, 2)).toEqual([['Law', 3]]);
    });

    test('formula-like and number-like text stays text exactly as imported', async () => {
      const nasty = [
        '=HYPERLINK("http://evil.example","click")',
        '+1',
        '@x',
        '-2+3',
        '=1+1',
        '00123',
        '2020-02-16 19:52',
        "'quoted",
        'TRUE',
      ];
      await subject.workbook.apply({
        tabs: [{ tab: 'T', create: { header: ['Value'] }, appends: nasty.map((v) => [v]) }],
      });
      const tab = await readOne(await subject.reopen(), 'T');
      expect(tab!.rows.map((r) => r[0])).toEqual(nasty);
    });

    test('a plan that cannot apply changes nothing', async () => {
      await subject.workbook.apply(seed);
      await expect(
        Promise.resolve().then(() =>
          subject.workbook.apply({
            tabs: [
              { tab: 'People', updates: [{ row: 0, col: 1, value: 'CHANGED' }] },
              { tab: 'Missing tab', updates: [{ row: 0, col: 0, value: 'x' }] },
            ],
          }),
        ),
      ).rejects.toThrow();
      const tab = await readOne(await subject.reopen(), 'People');
      expect(tab!.rows[0][1]).toBe('Әлия Қасымова');
    });

    test('deleteRows removes rows as read (after updates, before appends); the rows below move up', async () => {
      await subject.workbook.apply(seed);
      await subject.workbook.apply({
        tabs: [
          {
            tab: 'People',
            appends: [
              ['c@x.kz', 'Ciaran', 12, null],
              ['d@x.kz', 'Dana', 13, null],
            ],
          },
        ],
      });
      const wb = await subject.reopen();
      await wb.read(['People']);
      await wb.apply({
        tabs: [
          {
            tab: 'People',
            anchorColumns: [0],
            updates: [{ row: 2, col: 3, value: 'stays' }],
            deleteRows: [1, 3, 1],
            appends: [['e@x.kz', 'Erlan', 14, null]],
          },
        ],
      });
      const tab = await readOne(await subject.reopen(), 'People');
      expect(normalizeRows(tab!.rows, 4)).toEqual([
        ['a@x.kz', 'Әлия Қасымова', 97.22, null],
        ['c@x.kz', 'Ciaran', 12, 'stays'],
        ['e@x.kz', 'Erlan', 14, null],
      ]);
    });

    test('deleting a row the tab does not have changes nothing', async () => {
      await subject.workbook.apply(seed);
      const wb = await subject.reopen();
      await wb.read(['People']);
      await expect(
        Promise.resolve().then(() => wb.apply({ tabs: [{ tab: 'People', deleteRows: [0, 7], anchorColumns: [0] }] })),
      ).rejects.toThrow();
      const tab = await readOne(await subject.reopen(), 'People');
      expect(tab!.rows.map((r) => r[0])).toEqual(['a@x.kz', 'b@x.kz']);
    });

    test("protections: ours become exactly the plan's, per column, by description; re-applying makes no duplicates", async () => {
      await subject.workbook.apply(seed);
      const header = ['Email', 'Name', 'Score', 'Note'];
      const first: Protection[] = [
        { description: 'MOOC Desk: the whole tab', editors: ['Admin@x.kz', 'mentor@x.kz'] },
        { description: 'MOOC Desk: scores', columns: ['score', 'Note', 'No such column'], editors: ['admin@x.kz'] },
        { description: 'MOOC Desk: names', columns: ['Name'], warningOnly: true },
      ];
      await subject.workbook.apply({ tabs: [{ tab: 'People', protections: first }] });
      if (!subject.readProtections) {
        // No per-user protection here: the plan still applies and the data is intact.
        const tab = await readOne(await subject.reopen(), 'People');
        expect(tab!.rows.map((r) => r[0])).toEqual(['a@x.kz', 'b@x.kz']);
        return;
      }
      const stored = async () => sortProtections(await subject.readProtections!('People'));
      expect(await stored()).toEqual(storedProtections(first, header, subject.self));
      expect((await stored()).find((p) => p.column === 'Score')).toEqual({
        description: 'MOOC Desk: scores',
        column: 'Score',
        editors: [...new Set(['admin@x.kz', ...(subject.self ? [subject.self] : [])])].sort(),
        warningOnly: false,
      });
      await (await subject.reopen()).apply({ tabs: [{ tab: 'People', protections: first }] });
      expect(await stored()).toEqual(storedProtections(first, header, subject.self));

      const second: Protection[] = [
        { description: 'MOOC Desk: scores', columns: ['Score'], editors: ['other@x.kz'] },
        { description: 'MOOC Desk: names', columns: ['Name'], editors: ['admin@x.kz'] },
      ];
      await (await subject.reopen()).apply({ tabs: [{ tab: 'People', protections: second }] });
      expect(await stored()).toEqual(storedProtections(second, header, subject.self));
      const tab = await readOne(await subject.reopen(), 'People');
      expect(normalizeRows(tab!.rows, 4)[1]).toEqual(['b@x.kz', 'Борис Ёлкин', 0, 'keep me']);
    });

    test('reads several tabs in one call and accepts formatting rules', async () => {
      await subject.workbook.apply({
        tabs: [
          ...seed.tabs,
          {
            tab: 'Summary',
            create: { header: ['School', 'Late', 'Completion rate'] },
            appends: [['Law', 2, 0.5]],
            formats: [
              { kind: 'colorScale', column: 'Completion rate' },
              { kind: 'redWhenPositive', column: 'Late' },
            ],
            numberFormats: { 'Completion rate': '0.0%' },
          },
        ],
      });
      const snap = await (await subject.reopen()).read(['People', 'Summary']);
      expect(Object.keys(snap).sort()).toEqual(['People', 'Summary']);
      expect(normalizeRows(snap.Summary!.rows, 3)).toEqual([['Law', 2, 0.5]]);
    });

    test('look: widths by header, identity columns frozen, header bold and wrapped; re-applying keeps it', async () => {
      await subject.workbook.apply(seed);
      const look = { widths: { email: 30, Name: 20, 'No such column': 9 }, frozenColumns: 2, headerStyle: true };
      await subject.workbook.apply({ tabs: [{ tab: 'People', look }] });
      const tab = await readOne(await subject.reopen(), 'People');
      expect(normalizeRows(tab!.rows, 4)[1]).toEqual(['b@x.kz', 'Борис Ёлкин', 0, 'keep me']);
      if (!subject.readLook) return;
      const stored = await subject.readLook('People');
      expect(stored).toMatchObject({
        frozenRows: 1,
        frozenColumns: 2,
        headerBold: true,
        headerWrap: true,
        totalRows: [],
      });
      expect(stored.widths).toMatchObject({ Email: 30, Name: 20 });
      await (await subject.reopen()).apply({ tabs: [{ tab: 'People', look }] });
      expect(await subject.readLook('People')).toEqual(stored);
    });

    test('a rebuilt report: its Total row is set apart and outside the formats; a rebuild moves it', async () => {
      const report = (rows: (string | number)[][]): Plan => ({
        tabs: [
          {
            tab: 'Summary',
            replace: { header: ['School', 'Late', 'Completion rate'], rows: [...rows, ['Total', 9, 0.5]] },
            formats: [
              { kind: 'colorScale', column: 'Completion rate' },
              { kind: 'redWhenPositive', column: 'Late' },
            ],
            look: { widths: { School: 44 }, frozenColumns: 1, headerStyle: true, totalRow: true },
          },
        ],
      });
      const schools = ['Law', 'Medicine', 'Engineering', 'Business'].map((s, i) => [s, i, i / 4]);
      await subject.workbook.apply(report(schools));
      await (await subject.reopen()).apply(report(schools.slice(0, 2)));
      const tab = await readOne(await subject.reopen(), 'Summary');
      expect(normalizeRows(tab!.rows, 3).map((r) => r[0])).toEqual(['Law', 'Medicine', 'Total']);
      if (!subject.readLook) return;
      const stored = await subject.readLook('Summary');
      expect(stored.totalRows).toEqual([4]); // rows 2–3 the schools, row 4 the Total; the old Total (row 6) is plain again
      expect(stored.formatRows).toEqual({
        Late: { from: 2, to: 3 },
        'Completion rate': { from: 2, to: 3 },
      });
      expect(stored).toMatchObject({ frozenRows: 1, frozenColumns: 1, headerBold: true });
    });

    test('conditional formats of a table cover every row from row 2 down, rows added later too', async () => {
      await subject.workbook.apply({
        tabs: [
          {
            tab: 'Progress',
            create: { header: ['Email', 'Status'] },
            appends: [['a@x.kz', 'Overdue']],
            formats: [{ kind: 'textColor', column: 'Status', equals: 'Overdue', color: 'red' }],
            look: { frozenColumns: 1, headerStyle: true },
          },
        ],
      });
      const many = Array.from({ length: 1200 }, (_, i) => [`p${i}@x.kz`, i % 2 ? 'Overdue' : 'In progress']);
      await (await subject.reopen()).apply({ tabs: [{ tab: 'Progress', appends: many }] });
      const tab = await readOne(await subject.reopen(), 'Progress');
      expect(tab!.rows).toHaveLength(1201);
      if (!subject.readLook) return;
      expect((await subject.readLook('Progress')).formatRows).toEqual({ Status: { from: 2, to: null } });
    });

    test('validations from the plan land on their columns, by header, and read back', async () => {
      await subject.workbook.apply({
        tabs: [
          {
            tab: 'Courses',
            create: { header: ['Course slug', 'Model', 'Points', 'Note'] },
            appends: [['law-101', 'full', 90, null]],
            validations: [
              { column: 'Model', kind: 'list', values: ['partial', 'full'] },
              { column: 'Points', kind: 'number', min: 0, max: 100 },
            ],
          },
        ],
      });
      expect(byColumn(await subject.readValidations('Courses'))).toEqual([
        { column: 'Model', kind: 'list', values: ['partial', 'full'] },
        { column: 'Points', kind: 'number', min: 0, max: 100 },
      ]);
    });

    test('validations on an existing tab follow its header (added columns too); re-applying replaces; a missing column is skipped', async () => {
      await subject.workbook.apply(seed);
      const plan: Plan = {
        tabs: [
          {
            tab: 'People',
            addColumns: ['Status'],
            validations: [
              { column: 'status', kind: 'list', values: ['Active', 'Withdrawn'] },
              { column: 'Not a column', kind: 'number', min: 0, max: 1 },
            ],
          },
        ],
      };
      await subject.workbook.apply(plan);
      await (
        await subject.reopen()
      ).apply({
        tabs: [{ tab: 'People', validations: [{ column: 'Status', kind: 'list', values: ['Active', 'Replaced'] }] }],
      });
      expect(await subject.readValidations('People')).toEqual([
        { column: 'Status', kind: 'list', values: ['Active', 'Replaced'] },
      ]);
      const tab = await readOne(await subject.reopen(), 'People');
      expect(normalizeRows(tab!.rows, 5)[1]).toEqual(['b@x.kz', 'Борис Ёлкин', 0, 'keep me', null]);
    });

    test('renameFrom renames the tab in place (rows kept) before the rest of its plan applies; headerUpdates rewrite header cells', async () => {
      await subject.workbook.apply(seed);
      await readOne(subject.workbook, 'People'); // as the sync does: read, then write
      await subject.workbook.apply({
        tabs: [
          {
            tab: 'Адамдар',
            renameFrom: 'People',
            headerUpdates: [
              { col: 1, value: 'Аты' },
              { col: 2, value: 'Балл' },
            ],
            updates: [{ row: 1, col: 2, value: 5 }],
            addColumns: ['Ескерту'],
            appends: [['c@x.kz', 'Сәуле', 1, null, 'new']],
          },
        ],
      });
      const wb = await subject.reopen();
      const snap = await wb.read(['People', 'Адамдар']);
      expect(snap.People).toBeUndefined();
      expect(snap['Адамдар']?.header).toEqual(['Email', 'Аты', 'Балл', 'Note', 'Ескерту']);
      expect(normalizeRows(snap['Адамдар']!.rows, 5)).toEqual([
        ['a@x.kz', 'Әлия Қасымова', 97.22, null, null],
        ['b@x.kz', 'Борис Ёлкин', 5, 'keep me', null],
        ['c@x.kz', 'Сәуле', 1, null, 'new'],
      ]);
    });

    test('renameFrom is ignored when no tab has that name (the tab already has its new name)', async () => {
      await subject.workbook.apply({ tabs: [{ ...seed.tabs[0], tab: 'Адамдар' }] });
      await subject.workbook.apply({
        tabs: [{ tab: 'Адамдар', renameFrom: 'People', updates: [{ row: 0, col: 3, value: 'x' }] }],
      });
      const tab = await readOne(await subject.reopen(), 'Адамдар');
      expect(normalizeRows(tab!.rows, 4)[0]).toEqual(['a@x.kz', 'Әлия Қасымова', 97.22, 'x']);
    });
  });
}
