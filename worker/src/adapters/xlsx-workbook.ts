/**
 * The local `.xlsx` backend, at the level of the zip's parts: it reads the worksheets a sync asks
 * for and rewrites only the worksheets a plan changes (plus, when needed, the workbook's sheet list,
 * relationships, content types and styles). Every other part — charts, drawings, comments, pivot
 * tables, other tabs, the user's own conditional formats and validations — is copied through as
 * the bytes it was read as. Writes are atomic: a temp file replaces the original by rename, so a
 * failed sync leaves the file byte-for-byte as it was (./xlsx/file-io.ts: permissions kept,
 * symlinks followed, read-only files refused). Modules: ./xlsx/ (zip, package, styles,
 * sheet-reader, sheet-writer, sheet-parts, formats, tab-edit; file-io and lock for the file).
 */
import fs from 'node:fs';
import { InputError } from '../../../shared/src/errors';
import { isEmptyPlan, type Plan, type Snapshot, type TabPlan, type Workbook } from '../../../shared/src/workbook';
import { XlsxPackage, type SheetRef } from './xlsx/package';
import { assembleSheet } from './xlsx/sheet-parts';
import { readSharedStrings, scanSheet, type ReadContext, type ScannedSheet } from './xlsx/sheet-reader';
import { writeSheetData } from './xlsx/sheet-writer';
import { newSheetXml, newWorkbookEntries } from './xlsx/skeleton';
import { Styles } from './xlsx/styles';
import { dataRowsOf, headerOf, tabEdit } from './xlsx/tab-edit';
import { readZip, writeZip } from './xlsx/zip';

import { assertWritableWorkbook, removeStaleTempFiles, replaceFileAtomically } from './xlsx/file-io';
import { stderrNotice, withWorkbookLock as lockWorkbook, type LockOptions } from './xlsx/lock';

export { WorkbookLockedError } from './xlsx/lock';
export { ReadOnlyWorkbookError } from './xlsx/file-io';

/** The workbook file is missing or is not an .xlsx: the user has to point at the right file. */
export class UnreadableWorkbookError extends InputError {}

export class XlsxWorkbook implements Workbook {
  /** Worksheets scanned from the package as it is (cleared when a write changes it). */
  private scans = new Map<string, ScannedSheet>();
  private context: ReadContext | undefined;
  /** The last file write (writes happen one after the other, in the order of `apply` calls). */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    private pkg: XlsxPackage,
  ) {}

  /** Opens an existing file, or a new empty workbook when `create` and the file is missing. */
  static async open(file: string, options: { create?: boolean } = {}): Promise<XlsxWorkbook> {
    let data: Buffer;
    try {
      data = await fs.promises.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new UnreadableWorkbookError(`${file}: not a readable .xlsx workbook (${(e as Error).message})`);
      if (!options.create) throw new UnreadableWorkbookError(`${file}: no such workbook`);
      return new XlsxWorkbook(file, new XlsxPackage(newWorkbookEntries()));
    }
    try {
      const pkg = new XlsxPackage(readZip(data));
      pkg.sheets(); // the workbook part, its relationships and sheet list must be readable
      return new XlsxWorkbook(file, pkg);
    } catch (e) {
      throw new UnreadableWorkbookError(`${file}: not a readable .xlsx workbook (${(e as Error).message})`);
    }
  }

  read(tabs: readonly string[]): Snapshot {
    const out: Snapshot = {};
    const sheets = this.pkg.sheets();
    for (const name of tabs) {
      const ref = sheets.find((s) => s.name === name);
      if (!ref) continue;
      const { values } = this.scan(this.pkg, ref);
      out[name] = { name, header: headerOf(values[0]), rows: dataRowsOf(values) };
    }
    return out;
  }

  /**
   * Inflates every worksheet on zlib's thread pool (the Progress sheet of 100k rows is 105 MB of
   * XML): a sync starts it before reading its export, and the reads that follow find them ready.
   */
  preload(): Promise<void> {
    return this.pkg.preload(this.pkg.sheets().map((s) => s.part));
  }

  listTabs(): string[] {
    return this.pkg.sheets().map((s) => s.name);
  }

  /**
   * The plan is applied to a fork of the package; the workbook takes it at once (a read right
   * after sees it, as the add-on's dev server expects), and the file follows, writes in call order.
   * A failed write puts the workbook back and leaves the file as it was.
   */
  async apply(plan: Plan): Promise<void> {
    if (isEmptyPlan(plan)) return;
    const work = this.pkg.fork();
    for (const t of plan.tabs) this.check(work, t);
    for (const t of plan.tabs) this.applyTab(work, t);
    const before = { pkg: this.pkg, scans: this.scans };
    const changed = new Set(work.changedParts());
    this.pkg = work;
    this.scans = new Map([...this.scans].filter(([part]) => !changed.has(part)));
    this.context = undefined;
    const write = this.writing.then(async () => {
      const entries = await work.output();
      await replaceFileAtomically(this.file, (tmp) => writeZip(tmp, entries));
      // Written: the package becomes the file's entries (the rewritten sheets' producers and what they hold go).
      if (this.pkg === work) this.pkg = new XlsxPackage(entries);
    });
    this.writing = write.catch(() => undefined);
    try {
      await write;
    } catch (e) {
      if (this.pkg === work) ({ pkg: this.pkg, scans: this.scans } = before); // unless a later apply built on it
      this.context = undefined;
      throw e;
    }
  }

  /** Refuses a plan that cannot apply, before anything is changed. */
  private check(work: XlsxPackage, t: TabPlan): void {
    const sheets = work.sheets();
    const ref = sheets.find((s) => s.name === t.tab) ?? sheets.find((s) => t.renameFrom && s.name === t.renameFrom);
    if (!ref && !t.create && !t.replace) throw new Error(`${this.file}: tab "${t.tab}" does not exist`);
    const rows = ref ? dataRowsOf(this.scan(work, ref).values).length : 0;
    for (const r of t.deleteRows ?? []) {
      if (!Number.isInteger(r) || r < 0 || r >= rows)
        throw new Error(`${this.file}: cannot delete row ${r} of tab "${t.tab}": no such data row`);
    }
  }

  /**
   * `t.protections` are ignored on purpose: a .xlsx file has no per-user protection. Excel's sheet
   * protection is a password anyone with the file can remove (or edit around in any other tool),
   * and it would stop the admins and mentors too. The file's integrity rests on who holds it and on
   * the Audit verification, not on a lock the file cannot enforce.
   */
  private applyTab(work: XlsxPackage, t: TabPlan): void {
    if (isEmptyPlan({ tabs: [{ ...t, protections: undefined }] })) return;
    if (t.renameFrom && !work.sheets().some((s) => s.name === t.tab)) work.renameSheet(t.renameFrom, t.tab);
    let ref = work.sheets().find((s) => s.name === t.tab);
    const isNew = !ref;
    ref ??= work.addSheet(t.tab, newSheetXml());
    const scan = this.scan(work, ref);
    const styles = Styles.of(work);
    const { edit, change, styleOf } = tabEdit(scan.values, t, isNew);
    const restyle = (row: number, col: number, s: number | undefined) => {
      const c = styleOf(row, col);
      return c && styles ? styles.derive(s ?? 0, c) : s;
    };
    const data = writeSheetData(scan, { ...edit, restyle });
    work.setChunks(ref.part, assembleSheet(scan, data, change, styles));
    if (scan.hasFormulas) work.dropCalcChain();
  }

  /** A worksheet scanned from `pkg` (cached while the part is the one read from the file). */
  private scan(pkg: XlsxPackage, ref: SheetRef): ScannedSheet {
    const fresh = pkg !== this.pkg && pkg.isChanged(ref.part);
    const cached = fresh ? undefined : this.scans.get(ref.part);
    if (cached) return cached;
    let scan: ScannedSheet;
    try {
      const bytes = pkg.bytes(ref.part);
      if (!bytes) throw new Error('it has no worksheet part');
      scan = scanSheet(bytes, fresh ? this.contextOf(pkg) : this.readContext());
    } catch (e) {
      throw new UnreadableWorkbookError(`${this.file}: tab "${ref.name}" cannot be read (${(e as Error).message})`);
    }
    if (!fresh) this.scans.set(ref.part, scan);
    return scan;
  }

  private readContext(): ReadContext {
    return (this.context ??= this.contextOf(this.pkg));
  }

  /** What reading cells needs besides the sheet: shared strings, which styles are dates, the date system. */
  private contextOf(pkg: XlsxPackage): ReadContext {
    const sst = pkg.relatedPart('sharedStrings');
    const bytes = sst ? pkg.bytes(sst) : undefined;
    return {
      sharedStrings: bytes ? readSharedStrings(bytes.toString('latin1')) : [],
      dateStyles: Styles.of(pkg)?.dateStyles() ?? [],
      date1904: pkg.date1904,
    };
  }
}

/**
 * Every write of a workbook runs in here: one writer at a time (./xlsx/lock.ts), a read-only
 * workbook refused before any work, and temp files a killed write left beside it removed (said
 * through `notice`, like a lock taken over).
 */
export function withWorkbookLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  return lockWorkbook(
    file,
    async () => {
      assertWritableWorkbook(file);
      const removed = removeStaleTempFiles(file);
      if (removed.length)
        (options.notice ?? stderrNotice)(
          `removed ${removed.length} temp file(s) an interrupted write left beside ${file}: ${removed.join(', ')}`,
        );
      return fn();
    },
    options,
  );
}
