/**
 * Lookups over the workbook catalogs (workbook-{en,kk,ru}.ts): a tab's or header's text in a
 * language, and back from a text in ANY language to the canonical (English) identity the rules
 * use. Built once per process; every lookup is a Map get. Used by the localizing decorator
 * (./localized-workbook.ts) only, so the rules never see a translated text.
 */
import { normalizeHeader } from '../header-match';
import { LANGUAGES, type Language } from '../languages';
import {
  ATTENDANCE_TAB,
  AUDIT_TAB,
  CANDIDATES_TAB,
  CERTIFICATES_BY_COURSE_TAB,
  COURSES_TAB,
  GROUPS_TAB,
  HISTORY_TAB,
  LAYOUT,
  LEVELS_BY_GROUP_TAB,
  PARTICIPANTS_TAB,
  PROGRESS_TAB,
  ROSTER_TAB,
  SESSIONS_TAB,
  SETTINGS_TAB,
  SUMMARY_TABS,
  type TabDef,
} from '../layout';
import { WORKBOOK_EN, type WorkbookCatalog } from './workbook-en';
import { WORKBOOK_KK } from './workbook-kk';
import { WORKBOOK_RU } from './workbook-ru';

export const WORKBOOK_CATALOGS: Readonly<Record<Language, WorkbookCatalog>> = {
  en: WORKBOOK_EN,
  kk: WORKBOOK_KK,
  ru: WORKBOOK_RU,
};

type Section = { readonly [k: string]: string };
type SimpleSection = Exclude<keyof WorkbookCatalog, 'detail'>;

const section = (lang: Language, name: SimpleSection): Section => WORKBOOK_CATALOGS[lang][name];

/** A text of `name` in `lang`; a canonical text the catalog lacks (a newer layout entry) stays English. */
export function label(name: SimpleSection, canonical: string, lang: Language): string {
  return section(lang, name)[canonical] ?? canonical;
}

export const tabLabel = (canonical: string, lang: Language): string => label('tabs', canonical, lang);

/** The layout tab a sheet name is (exact, in any language), or undefined for a user's own tab. */
const TAB_BY_NAME = new Map<string, string>();
for (const def of LAYOUT) for (const lang of LANGUAGES) TAB_BY_NAME.set(tabLabel(def.name, lang), def.name);
export const layoutTabOf = (sheetName: string): string | undefined => TAB_BY_NAME.get(sheetName);

/** Every name a layout tab may have, the given language's first, then en, kk, ru. */
export function tabNames(canonical: string, first: Language): string[] {
  return [...new Set([first, ...LANGUAGES].map((l) => tabLabel(canonical, l)))];
}

/** Reads a stored text back to its canonical identity (undefined: not one of ours), and writes one. */
export interface LabelCodec {
  /** The canonical values it knows (the items, for a list; none for sentences). */
  readonly values: readonly string[];
  read(text: string): string | undefined;
  write(canonical: string, lang: Language): string;
}

/** One value per cell, from a catalog section (Status, Model, Roster status, …). */
function simpleCodec(name: SimpleSection, canonicals: readonly string[] = Object.keys(WORKBOOK_EN[name])): LabelCodec {
  const back = new Map<string, string>();
  for (const lang of LANGUAGES)
    for (const c of canonicals) {
      const key = normalizeHeader(label(name, c, lang));
      if (!back.has(key)) back.set(key, c);
    }
  return {
    values: canonicals,
    read: (text) => back.get(normalizeHeader(text)),
    write: (c, lang) => label(name, c, lang),
  };
}

/** Either section's values in one column (a Category column whose Total rows say `Total`). */
function eitherCodec(a: LabelCodec, b: LabelCodec): LabelCodec {
  return {
    values: [...a.values, ...b.values],
    read: (text) => a.read(text) ?? b.read(text),
    write: (c, lang) => (a.values.includes(c) ? a.write(c, lang) : b.write(c, lang)),
  };
}

/** Comma-separated values (Flags, and lists inside a detail); an unknown item is kept as written. */
function listCodec(item: LabelCodec): LabelCodec {
  const map = (text: string, f: (s: string) => string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(f)
      .join(', ');
  return {
    values: item.values,
    read: (text) => {
      let known = false;
      const out = map(text, (s) => {
        const c = item.read(s);
        known ||= c !== undefined;
        return c ?? s;
      });
      return known ? out : undefined;
    },
    write: (canonical, lang) => (lang === 'en' ? canonical : map(canonical, (s) => item.write(s, lang))),
  };
}

/** Header text ↔ layout header, for one tab (or for every tab when `def` is absent). */
function headerCodec(defs: readonly TabDef[]): LabelCodec {
  return simpleCodec(
    'headers',
    defs.flatMap((d) => d.columns.map((c) => c.header)),
  );
}

const HEADER_CODECS = new Map(LAYOUT.map((d) => [d.name, headerCodec([d])]));
const ANY_HEADER = headerCodec(LAYOUT);

/** Header codec of a layout tab; for a user's own tab, any layout header (to recognise a renamed tab). */
export const headersOf = (canonicalTab: string | undefined): LabelCodec =>
  (canonicalTab && HEADER_CODECS.get(canonicalTab)) || ANY_HEADER;

export const headerLabel = (canonical: string, lang: Language): string => label('headers', canonical, lang);

const DETAIL_PARAMS: Readonly<Record<string, LabelCodec>> = {
  columns: listCodec(headerCodec([CANDIDATES_TAB])),
  labels: listCodec(simpleCodec('schoolStatus')),
  status: simpleCodec('schoolStatus'),
  key: simpleCodec('matchKey'),
  by: simpleCodec('duplicateBy'),
};

type DetailKey = keyof WorkbookCatalog['detail'];
interface CompiledTemplate {
  readonly regex: RegExp;
  readonly params: string[];
}

function compile(template: string): CompiledTemplate {
  const params: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(m[1]);
      return '(.+?)';
    })
    .join('');
  return { regex: new RegExp(`^${source}$`, 's'), params };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, p: string) => values[p] ?? '');

/** Eligibility detail: sentences with values in them, matched against every language's templates. */
function templateCodec(): LabelCodec {
  const keys = Object.keys(WORKBOOK_EN.detail) as DetailKey[];
  const compiled = LANGUAGES.flatMap((lang) =>
    keys.map((key) => ({ key, ...compile(WORKBOOK_CATALOGS[lang].detail[key]) })),
  );
  /** The template and its values (canonical) a text was written from. */
  const parse = (text: string): { key: DetailKey; values: Record<string, string> } | undefined => {
    for (const t of compiled) {
      const m = t.regex.exec(text);
      if (!m) continue;
      const values: Record<string, string> = {};
      t.params.forEach((p, i) => (values[p] = DETAIL_PARAMS[p]?.read(m[i + 1]) ?? m[i + 1]));
      return { key: t.key, values };
    }
    return undefined;
  };
  const render = (key: DetailKey, values: Record<string, string>, lang: Language) => {
    const localized: Record<string, string> = {};
    for (const [p, v] of Object.entries(values)) localized[p] = DETAIL_PARAMS[p]?.write(v, lang) ?? v;
    return fill(WORKBOOK_CATALOGS[lang].detail[key], localized);
  };
  return {
    values: [],
    read: (text) => {
      const p = parse(text);
      return p && render(p.key, p.values, 'en');
    },
    write: (canonical, lang) => {
      if (lang === 'en') return canonical;
      const p = parse(canonical);
      return p ? render(p.key, p.values, lang) : canonical;
    },
  };
}

/**
 * Columns whose values are ours to translate, by tab and layout key. Whether a column's stored
 * values are rewritten on a language switch follows from its owner (see `rewritesValues`).
 */
const codecs: [TabDef, string, LabelCodec][] = [
  [SETTINGS_TAB, 'setting', simpleCodec('settings')],
  [ROSTER_TAB, 'rosterStatus', simpleCodec('rosterStatus')],
  [COURSES_TAB, 'model', simpleCodec('model')],
  [PROGRESS_TAB, 'model', simpleCodec('model')],
  [PROGRESS_TAB, 'completed', simpleCodec('yesNo')],
  [PROGRESS_TAB, 'certificate', simpleCodec('yesNo')],
  [PROGRESS_TAB, 'removed', simpleCodec('yesNo')],
  [PROGRESS_TAB, 'flags', listCodec(simpleCodec('flag'))],
  [PROGRESS_TAB, 'status', simpleCodec('status')],
  ...SUMMARY_TABS.map((t): [TabDef, string, LabelCodec] => [t, 'group', simpleCodec('summaryRow')]),
  // The History's School column holds the same row labels (Total, (not set)) as Summary by school.
  [HISTORY_TAB, 'school', simpleCodec('summaryRow')],
  [CANDIDATES_TAB, 'schoolStatus', simpleCodec('schoolStatus')],
  [CANDIDATES_TAB, 'matchDecision', simpleCodec('matchDecision')],
  [CANDIDATES_TAB, 'eligibility', simpleCodec('eligibility')],
  [CANDIDATES_TAB, 'eligibilityDetail', templateCodec()],
  [AUDIT_TAB, 'Action', simpleCodec('auditAction')],
  // Facilitated programmes: humans' pick-lists are read in any language, the derived Flags rewritten.
  [GROUPS_TAB, 'mode', simpleCodec('sessionMode')],
  [GROUPS_TAB, 'flags', listCodec(simpleCodec('groupFlag'))],
  [PARTICIPANTS_TAB, 'category', simpleCodec('participantCategory')],
  [PARTICIPANTS_TAB, 'field', simpleCodec('participantField')],
  [PARTICIPANTS_TAB, 'applicationStatus', simpleCodec('applicationStatus')],
  [PARTICIPANTS_TAB, 'flags', listCodec(simpleCodec('participantFlag'))],
  [SESSIONS_TAB, 'mode', simpleCodec('sessionMode')],
  [ATTENDANCE_TAB, 'mark', simpleCodec('attendanceMark')],
  // The facilitated charts' data: group names stay as typed, the Total rows and categories are ours.
  [LEVELS_BY_GROUP_TAB, 'group', simpleCodec('summaryRow')],
  [CERTIFICATES_BY_COURSE_TAB, 'category', eitherCodec(simpleCodec('participantCategory'), simpleCodec('summaryRow'))],
];

export interface ValueColumn {
  readonly key: string;
  readonly header: string;
  readonly codec: LabelCodec;
  /**
   * The stored values are rewritten in the workbook's language when it changes: the sync's own
   * columns (and the Setting names, which are labels). Humans' cells and logs are only read.
   */
  readonly rewrite: boolean;
}

const VALUE_COLUMNS = new Map<string, ValueColumn[]>();
for (const [def, key, codec] of codecs) {
  const column = def.columns.find((c) => c.key === key);
  if (!column) throw new Error(`no column ${key} in the layout's ${def.name} tab`);
  const rewrite = def.kind !== 'log' && (column.owner === 'sync' || def === SETTINGS_TAB);
  VALUE_COLUMNS.set(def.name, [...(VALUE_COLUMNS.get(def.name) ?? []), { key, header: column.header, codec, rewrite }]);
}

/** The value columns of a layout tab (none for a user's own tab). */
export const valueColumnsOf = (canonicalTab: string): readonly ValueColumn[] => VALUE_COLUMNS.get(canonicalTab) ?? [];
