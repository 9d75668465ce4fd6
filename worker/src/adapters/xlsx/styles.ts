/**
 * The styles part, for the two things the sync needs from it: which cell styles show a date (to
 * read those numbers as dates), and styles derived from a cell's own (bold, wrapped, a number
 * format, a report's Total fill and rule; the fills of conditional formats). A derived style that already exists is reused, so
 * re-applying the same look adds nothing to the file.
 */
import type { XlsxPackage } from './package';
import { child, elementXml, elements, localName, makeElement, type XmlElement } from './xml';

const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47]);
/** Built-in number formats by code: Excel files name these by id only. */
const BUILTIN_IDS: Readonly<Record<string, number>> = {
  General: 0,
  '0': 1,
  '0.00': 2,
  '#,##0': 3,
  '#,##0.00': 4,
  '0%': 9,
  '0.00%': 10,
};

/** A custom format code that shows a date or time (d, m, y, h, s outside quotes, escapes and colours). */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]/gi, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

export interface StyleChange {
  readonly bold?: boolean;
  readonly wrap?: boolean;
  readonly numFmt?: string;
  /** A solid fill (`F2F2F2`), or null for none. */
  readonly fill?: string | null;
  /** A thin rule along the top in this colour (`808080`), or null for no border. */
  readonly borderTop?: string | null;
}

export class Styles {
  private readonly cache = new Map<string, number>();
  private constructor(
    private readonly pkg: XlsxPackage,
    private readonly part: string,
  ) {}

  /** The package's styles, or undefined for a package without a styles part. */
  static of(pkg: XlsxPackage): Styles | undefined {
    const part = pkg.relatedPart('styles');
    return part && pkg.has(part) ? new Styles(pkg, part) : undefined;
  }

  private get root(): XmlElement {
    return this.pkg.doc(this.part).root;
  }

  /** For each cell style index: does it show a date? */
  dateStyles(): boolean[] {
    const custom = new Map<number, string>();
    for (const f of elements(child(this.root, 'numFmts') ?? this.root, 'numFmt'))
      custom.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? '');
    return elements(child(this.root, 'cellXfs') ?? this.root, 'xf').map((xf) => {
      const id = Number(xf.attrs.numFmtId ?? 0);
      return custom.has(id) ? isDateFormat(custom.get(id)!) : BUILTIN_DATES.has(id);
    });
  }

  /** The index of a cell style equal to style `s` with `change` made; added to the part when new. */
  derive(s: number, change: StyleChange): number {
    const key = `${s}|${change.bold}|${change.wrap}|${change.numFmt}|${change.fill}|${change.borderTop}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const xfs = this.section('cellXfs');
    const base = elements(xfs, 'xf')[s] ?? elements(xfs, 'xf')[0];
    const xf: XmlElement = base
      ? clone(base)
      : makeElement(xfs, 'xf', { numFmtId: '0', fontId: '0', fillId: '0', borderId: '0' });
    if (change.bold !== undefined) {
      xf.attrs.fontId = String(this.boldFont(Number(xf.attrs.fontId ?? 0), change.bold));
      xf.attrs.applyFont = '1';
    }
    if (change.wrap) {
      const al = child(xf, 'alignment') ?? makeElement(xf, 'alignment');
      if (!xf.children.includes(al)) xf.children.unshift(al);
      al.attrs.wrapText = '1';
      xf.attrs.applyAlignment = '1';
    }
    if (change.numFmt !== undefined) {
      xf.attrs.numFmtId = String(this.numFmtId(change.numFmt));
      xf.attrs.applyNumberFormat = '1';
    }
    if (change.fill !== undefined) {
      xf.attrs.fillId = String(change.fill === null ? 0 : this.solidFill(change.fill));
      xf.attrs.applyFill = '1';
    }
    if (change.borderTop !== undefined) {
      xf.attrs.borderId = String(change.borderTop === null ? 0 : this.topBorder(change.borderTop));
      xf.attrs.applyBorder = '1';
    }
    const index = this.intern(xfs, 'xf', xf);
    this.cache.set(key, index);
    return index;
  }

  /** A differential style (conditional formats): font colour, optional bold, fill. */
  dxf(font: string, fill: string, bold = false): number {
    const dxfs = this.section('dxfs');
    const el = makeElement(dxfs, 'dxf', {}, [
      makeElement(dxfs, 'font', {}, [
        ...(bold ? [makeElement(dxfs, 'b')] : []),
        makeElement(dxfs, 'color', { rgb: font }),
      ]),
      makeElement(dxfs, 'fill', {}, [
        makeElement(dxfs, 'patternFill', {}, [makeElement(dxfs, 'bgColor', { rgb: fill })]),
      ]),
    ]);
    return this.intern(dxfs, 'dxf', el);
  }

  /** The fill colour of a differential style (`FFC6EFCE`), upper case, for recognising our own rules. */
  dxfFill(id: number): string | undefined {
    const dxf = elements(child(this.root, 'dxfs') ?? this.root, 'dxf')[id];
    const pattern = dxf && child(child(dxf, 'fill') ?? dxf, 'patternFill');
    const color = pattern && (child(pattern, 'bgColor') ?? child(pattern, 'fgColor'));
    return color?.attrs.rgb?.toUpperCase();
  }

  private boldFont(fontId: number, bold: boolean): number {
    const fonts = this.section('fonts');
    const font = clone(elements(fonts, 'font')[fontId] ?? makeElement(fonts, 'font'));
    font.children = font.children.filter((c) => typeof c === 'string' || localName(c) !== 'b');
    if (bold) font.children.unshift(makeElement(fonts, 'b'));
    return this.intern(fonts, 'font', font);
  }

  /** A solid fill of `rgb` (`F2F2F2`); fills 0 and 1 are the reserved none and gray125. */
  private solidFill(rgb: string): number {
    const fills = this.section('fills');
    const el = makeElement(fills, 'fill', {}, [
      makeElement(fills, 'patternFill', { patternType: 'solid' }, [
        makeElement(fills, 'fgColor', { rgb: `FF${rgb}` }),
        makeElement(fills, 'bgColor', { indexed: '64' }),
      ]),
    ]);
    return this.intern(fills, 'fill', el);
  }

  /** A border with only a thin top rule of `rgb`; children in the schema's order. */
  private topBorder(rgb: string): number {
    const borders = this.section('borders');
    const side = (name: string, attrs: Record<string, string> = {}, kids: XmlElement[] = []) =>
      makeElement(borders, name, attrs, kids);
    const el = side('border', {}, [
      side('left'),
      side('right'),
      side('top', { style: 'thin' }, [side('color', { rgb: `FF${rgb}` })]),
      side('bottom'),
      side('diagonal'),
    ]);
    return this.intern(borders, 'border', el);
  }

  private numFmtId(code: string): number {
    if (code in BUILTIN_IDS) return BUILTIN_IDS[code];
    const fmts = this.section('numFmts');
    const all = elements(fmts, 'numFmt');
    const found = all.find((f) => f.attrs.formatCode === code);
    if (found) return Number(found.attrs.numFmtId);
    const id = Math.max(163, ...all.map((f) => Number(f.attrs.numFmtId))) + 1;
    fmts.children.push(makeElement(fmts, 'numFmt', { numFmtId: String(id), formatCode: code }));
    fmts.attrs.count = String(all.length + 1);
    this.pkg.touch(this.part);
    return id;
  }

  /** The index of an element equal to `el` in the section, appending it (and touching the part) when absent. */
  private intern(section: XmlElement, local: string, el: XmlElement): number {
    const list = elements(section, local);
    const xml = elementXml(el);
    const i = list.findIndex((x) => elementXml(x) === xml);
    if (i >= 0) return i;
    section.children.push(el);
    section.attrs.count = String(list.length + 1);
    this.pkg.touch(this.part);
    return list.length;
  }

  /** A top-level section of the styles part, created in schema order when missing. */
  private section(local: string): XmlElement {
    const found = child(this.root, local);
    if (found) return found;
    const el = makeElement(this.root, local, { count: '0' });
    const order = [
      ...['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs'],
      ...['cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'],
    ];
    const rank = order.indexOf(local);
    const at = this.root.children.findIndex((c) => typeof c !== 'string' && order.indexOf(localName(c)) > rank);
    this.root.children.splice(at < 0 ? this.root.children.length : at, 0, el);
    return el;
  }
}

function clone(el: XmlElement): XmlElement {
  return JSON.parse(JSON.stringify(el)) as XmlElement;
}
