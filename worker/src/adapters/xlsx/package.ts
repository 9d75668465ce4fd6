/**
 * The workbook as a package of parts (OPC): which part holds which tab, the shared strings and
 * styles parts, and the few edits a sync makes to the package itself — a new tab (its part, the
 * workbook's sheet list, the relationship, the content type) and a renamed tab. Everything else in
 * the package is left exactly as it was.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { deflateChunks, deflateEntry, inflate, inflateInBackground, type ZipEntry } from './zip';
import {
  child,
  elements,
  localName,
  makeElement,
  parseXml,
  serializeXml,
  textOf,
  type XmlDoc,
  type XmlElement,
} from './xml';

const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_TYPE = `${REL_NS}/`;
const WORKSHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

export interface SheetRef {
  readonly name: string;
  /** Zip entry name of the worksheet part (`xl/worksheets/sheet1.xml`). */
  readonly part: string;
}

/** Content produced on demand as binary strings and byte ranges (a rewritten worksheet: ./sheet-writer.ts). */
export type PartChunks = () => Iterable<string | Buffer>;

/** An .xlsx held in memory: the entries as read, plus the parts changed since (not yet written). */
export class XlsxPackage {
  private readonly changed = new Map<string, Buffer>();
  /** Changed parts too big to hold as bytes: produced again whenever they are read or written. */
  private readonly streamed = new Map<string, PartChunks>();
  private readonly docs = new Map<string, XmlDoc>();
  /** Parts to leave out of the next write (the calculation chain). */
  private readonly removed = new Set<string>();
  /** Parts inflated ahead (see `preload`), each handed to its first read. */
  private readonly preloaded = new Map<string, Buffer>();

  constructor(private readonly entries: readonly ZipEntry[]) {}

  /** Inflates these parts as read on zlib's thread pool, so a sync reads its export while they inflate. */
  async preload(parts: readonly string[]): Promise<void> {
    await Promise.all(
      parts.map(async (part) => {
        const e = this.entries.find((x) => x.name === part);
        if (e && !this.isChanged(part)) this.preloaded.set(part, await inflateInBackground(e));
      }),
    );
  }

  /** The same package with its changes, to change further: a plan is applied to a fork (parsed trees are not shared). */
  fork(): XlsxPackage {
    const f = new XlsxPackage(this.entries);
    for (const [part, data] of this.changed) f.changed.set(part, data);
    for (const [part, chunks] of this.streamed) f.streamed.set(part, chunks);
    for (const part of this.removed) f.removed.add(part);
    return f;
  }

  isChanged(part: string): boolean {
    return this.changed.has(part) || this.streamed.has(part);
  }

  has(part: string): boolean {
    return this.isChanged(part) || this.entries.some((e) => e.name === part);
  }

  /** The part's bytes (as changed, else as read); undefined when the package has no such part. */
  bytes(part: string): Buffer | undefined {
    const c = this.changed.get(part);
    if (c) return c;
    const s = this.streamed.get(part);
    if (s) return binaryBuffer([...s()]);
    const pre = this.preloaded.get(part);
    if (pre) {
      this.preloaded.delete(part); // read once: the worksheet's scan is cached, the bytes need not stay
      return pre;
    }
    const e = this.entries.find((x) => x.name === part);
    return e && inflate(e);
  }

  set(part: string, data: Buffer): void {
    this.changed.set(part, data);
    this.streamed.delete(part);
    this.docs.delete(part);
  }

  /** A changed part given as binary-string chunks, deflated as they are produced when the package is written. */
  setChunks(part: string, chunks: PartChunks): void {
    this.streamed.set(part, chunks);
    this.changed.delete(part);
    this.docs.delete(part);
  }

  /** A part parsed for editing; edits show up in `bytes` after `flushDocs`. */
  doc(part: string): XmlDoc {
    let d = this.docs.get(part);
    if (!d) {
      const b = this.bytes(part);
      if (!b) throw new Error(`part ${part} is missing`);
      d = parseXml(b.toString('utf8'), part);
      this.docs.set(part, d);
    }
    return d;
  }

  /** Marks a parsed part as edited: it is serialised into the package. */
  touch(part: string): void {
    const d = this.doc(part);
    this.changed.set(part, Buffer.from(serializeXml(d), 'utf8'));
  }

  /** Entries to write: unchanged ones as read (raw bytes), changed ones deflated, new ones at the end. */
  async output(): Promise<ZipEntry[]> {
    const out: ZipEntry[] = [];
    for (const e of this.entries) if (!this.removed.has(e.name)) out.push(await this.entryOf(e.name, e));
    for (const name of this.changedParts())
      if (!this.entries.some((e) => e.name === name)) out.push(await this.entryOf(name, undefined));
    return out;
  }

  /** A part as it will be written: the entry as read when its content did not change. */
  private async entryOf(name: string, read: ZipEntry | undefined): Promise<ZipEntry> {
    const c = this.changed.get(name);
    if (c) return read && sameBytes(c, read) ? read : deflateEntry(name, c);
    const s = this.streamed.get(name);
    if (!s) return read!;
    const e = await deflateChunks(name, s());
    // The CRC and size first: a changed 100 MB sheet is not inflated again to compare.
    const same =
      read && e.size === read.size && e.crc === read.crc >>> 0 && binaryBuffer([...s()]).equals(inflate(read));
    return same ? read : e;
  }

  /** Parts whose bytes differ from the file as read (for tests and the no-change fast path). */
  changedParts(): string[] {
    return [...this.changed.keys(), ...this.streamed.keys()];
  }

  // --- the workbook part and its relationships ---

  get workbookPart(): string {
    const rels = this.doc('_rels/.rels');
    const r = elements(rels.root, 'Relationship').find((x) => x.attrs.Type === `${REL_TYPE}officeDocument`);
    if (!r) throw new Error('no workbook part');
    return r.attrs.Target.replace(/^\//, '');
  }

  get workbookRels(): string {
    const wb = this.workbookPart;
    return path.posix.join(path.posix.dirname(wb), '_rels', `${path.posix.basename(wb)}.rels`);
  }

  /** The target part of the workbook's relationship of this type (`styles`, `sharedStrings`), if any. */
  relatedPart(type: string): string | undefined {
    const r = elements(this.doc(this.workbookRels).root, 'Relationship').find((x) => x.attrs.Type === REL_TYPE + type);
    return r && this.resolve(r.attrs.Target);
  }

  private resolve(target: string): string {
    if (target.startsWith('/')) return target.slice(1);
    return path.posix.normalize(path.posix.join(path.posix.dirname(this.workbookPart), target));
  }

  private sheetsElement(): XmlElement {
    const sheets = child(this.doc(this.workbookPart).root, 'sheets');
    if (!sheets) throw new Error('workbook has no sheet list');
    return sheets;
  }

  /** Worksheets in tab order (chart sheets and dialog sheets are not tabs a sync reads). */
  sheets(): SheetRef[] {
    const rels = elements(this.doc(this.workbookRels).root, 'Relationship');
    return elements(this.sheetsElement(), 'sheet').flatMap((s) => {
      const rel = rels.find((r) => r.attrs.Id === relId(s));
      if (!rel || rel.attrs.Type !== `${REL_TYPE}worksheet`) return [];
      return [{ name: s.attrs.name, part: this.resolve(rel.attrs.Target) }];
    });
  }

  get date1904(): boolean {
    const pr = child(this.doc(this.workbookPart).root, 'workbookPr');
    return pr?.attrs.date1904 === '1' || pr?.attrs.date1904 === 'true';
  }

  /** Adds an empty worksheet part for a new tab, registered everywhere a tool looks for it. */
  addSheet(name: string, xml: Buffer): SheetRef {
    const wbPart = this.workbookPart;
    let n = 1;
    while (this.has(`xl/worksheets/sheet${n}.xml`)) n++;
    const part = `xl/worksheets/sheet${n}.xml`;
    this.set(part, xml);
    const rels = this.doc(this.workbookRels).root;
    const ids = new Set(elements(rels, 'Relationship').map((r) => r.attrs.Id));
    let k = ids.size + 1;
    while (ids.has(`rId${k}`)) k++;
    const target = path.posix.relative(path.posix.dirname(wbPart), part);
    rels.children.push(
      makeElement(rels, 'Relationship', { Id: `rId${k}`, Type: `${REL_TYPE}worksheet`, Target: target }),
    );
    this.touch(this.workbookRels);

    const sheets = this.sheetsElement();
    const root = this.doc(wbPart).root;
    let prefix = Object.keys(root.attrs)
      .find((a) => a.startsWith('xmlns:') && root.attrs[a] === REL_NS)
      ?.slice(6);
    if (!prefix) root.attrs[`xmlns:${(prefix = 'r')}`] = REL_NS;
    const sheetId = Math.max(0, ...elements(sheets, 'sheet').map((s) => Number(s.attrs.sheetId) || 0)) + 1;
    sheets.children.push(makeElement(sheets, 'sheet', { name, sheetId: String(sheetId), [`${prefix}:id`]: `rId${k}` }));
    this.touch(wbPart);

    const types = this.doc('[Content_Types].xml').root;
    types.children.push(makeElement(types, 'Override', { PartName: `/${part}`, ContentType: WORKSHEET_TYPE }));
    this.touch('[Content_Types].xml');
    return { name, part };
  }

  /**
   * Renames a tab, and the references to it in defined names (cheap: they live in workbook.xml).
   * Formulas in cells that name the old tab are not rewritten: that would mean rewriting every sheet.
   */
  renameSheet(from: string, to: string): void {
    const wbPart = this.workbookPart;
    const sheet = elements(this.sheetsElement(), 'sheet').find((s) => s.attrs.name === from);
    if (!sheet) return;
    sheet.attrs.name = to;
    const names = child(this.doc(wbPart).root, 'definedNames');
    for (const dn of names ? elements(names, 'definedName') : []) {
      const text = textOf(dn);
      const renamed = text.split(`${quoteSheet(from)}!`).join(`${quoteSheet(to)}!`);
      if (renamed !== text) dn.children = [renamed];
    }
    this.touch(wbPart);
  }

  /** Drops the calculation chain, which lists formula cells by address: Excel rebuilds it. */
  dropCalcChain(): void {
    const part = this.relatedPart('calcChain');
    if (!part) return;
    const rels = this.doc(this.workbookRels).root;
    rels.children = rels.children.filter((r) => typeof r === 'string' || r.attrs.Type !== `${REL_TYPE}calcChain`);
    this.touch(this.workbookRels);
    const types = this.doc('[Content_Types].xml').root;
    types.children = types.children.filter((t) => typeof t === 'string' || t.attrs.PartName !== `/${part}`);
    this.touch('[Content_Types].xml');
    this.removed.add(part);
  }
}

/** Content equal to an entry's: the CRC first, so a changed part is not inflated again to compare. */
function sameBytes(data: Buffer, e: ZipEntry): boolean {
  return data.length === e.size && zlib.crc32(data) === e.crc >>> 0 && data.equals(inflate(e));
}

/** Binary strings and byte ranges → one buffer, written in place (no joined copy). */
export function binaryBuffer(chunks: readonly (string | Buffer)[]): Buffer {
  const buf = Buffer.allocUnsafe(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) at += typeof c === 'string' ? buf.write(c, at, 'latin1') : c.copy(buf, at);
  return buf;
}

/** The relationship id of a `<sheet>`, whatever prefix the relationships namespace has. */
function relId(sheet: XmlElement): string | undefined {
  const key = Object.keys(sheet.attrs).find(
    (a) => localName({ name: a, attrs: {}, children: [] }) === 'id' && a.includes(':'),
  );
  return key && sheet.attrs[key];
}

/** How a formula names a sheet: bare when it is a plain identifier, else in single quotes. */
export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name)
    ? name
    : `'${name.replace(/'/g, "''")}'`;
}
