/**
 * A small element tree for the small parts of a workbook (workbook.xml, rels, content types,
 * styles, the parts of a worksheet around its cell data), parsed with saxes. Whatever the tree
 * does not change — unknown elements, attributes, namespaces, extension lists — is written back
 * as it was read, so a part from Excel, LibreOffice or Google Sheets keeps what those tools put in it.
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  /** In document order (object insertion order). */
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** A parsed part: the XML declaration (verbatim) and its root element. */
export interface XmlDoc {
  readonly decl: string;
  readonly root: XmlElement;
}

export class XmlFormatError extends Error {}

export function parseXml(text: string, part: string): XmlDoc {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let decl = '';
  parser.on('xmldecl', (d) => {
    decl = `<?xml version="${d.version ?? '1.0'}"${d.encoding ? ` encoding="${d.encoding}"` : ''}${d.standalone ? ` standalone="${d.standalone}"` : ''}?>`;
  });
  parser.on('opentag', (tag) => {
    const el: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [] };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (t: string) => {
    if (stack.length) stack[stack.length - 1].children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    throw new XmlFormatError(`${part}: ${e.message}`);
  });
  parser.write(text).close();
  if (!root) throw new XmlFormatError(`${part}: no root element`);
  return { decl, root };
}

export function serializeXml(doc: XmlDoc): string {
  const out: string[] = [];
  if (doc.decl) out.push(doc.decl, '\n');
  writeElement(doc.root, out);
  return out.join('');
}

export function writeElement(el: XmlElement, out: string[]): void {
  out.push('<', el.name);
  for (const [k, v] of Object.entries(el.attrs)) out.push(' ', k, '="', escapeXml(v, true), '"');
  if (!el.children.length) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of el.children) {
    if (typeof c === 'string') out.push(escapeXml(c));
    else writeElement(c, out);
  }
  out.push('</', el.name, '>');
}

export function elementXml(el: XmlElement): string {
  const out: string[] = [];
  writeElement(el, out);
  return out.join('');
}

export function escapeXml(text: string, attr = false): string {
  let s = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attr) s = s.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
  return s;
}

/** The element's local name, whatever namespace prefix the tool that wrote it chose (`x:sheet` → `sheet`). */
export const localName = (el: XmlElement): string => el.name.slice(el.name.indexOf(':') + 1);

export const elements = (el: XmlElement, local?: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && (!local || localName(c) === local));

export const child = (el: XmlElement, local: string): XmlElement | undefined => elements(el, local)[0];

/** The namespace prefix of an element's name, with its colon ('' for the default namespace). */
export const prefixOf = (el: XmlElement): string => el.name.slice(0, el.name.indexOf(':') + 1);

/** A new element in the same namespace as `like` (the same prefix). */
export function makeElement(
  like: XmlElement,
  local: string,
  attrs: Record<string, string> = {},
  children: XmlNode[] = [],
): XmlElement {
  return { name: prefixOf(like) + local, attrs, children };
}

export const textOf = (el: XmlElement): string =>
  el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

/**
 * Puts `el` among `parent`'s children at the place the schema's element order (`order`, local
 * names) gives it: after every sibling that comes before it in that order.
 */
export function insertInOrder(parent: XmlElement, el: XmlElement, order: readonly string[]): void {
  const rank = order.indexOf(localName(el));
  let at = parent.children.length;
  for (let i = 0; i < parent.children.length; i++) {
    const c = parent.children[i];
    if (typeof c === 'string') continue;
    const r = order.indexOf(localName(c));
    if (r > rank) {
      at = i;
      break;
    }
  }
  parent.children.splice(at, 0, el);
}
