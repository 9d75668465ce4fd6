/**
 * The workbook in its users' language (Settings › Language: en, kk, ru), as a decorator over the
 * Workbook port: the rules keep reading and planning canonical (English) tab names, headers and
 * values, and never know.
 *
 * - `read` finds each tab under its name in any language, and maps headers and the known value
 *   columns (workbook-labels.ts) to canonical; a value typed in another language is understood.
 * - `apply` writes tab names, headers, values in those columns, format texts and pick-lists in the
 *   target language. Where the workbook still has another language's names, the plan renames the
 *   tab (`renameFrom`), rewrites the header cells (`headerUpdates`) and the sync's own labels in
 *   place; humans' cells and log rows are left as written (they are read in any language).
 *
 * The Audit hash covers canonical texts (the chain reads through this decorator), so a language
 * switch never breaks it. English is canonical: translating to `en` is the identity, so an English
 * workbook costs one Map lookup per cell of a value column on read, and nothing on write.
 */
import type { Cell, Row } from '../cells';
import { normalizeHeader } from '../header-match';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../languages';
import {
  anchorColumns,
  indexColumns,
  LAYOUT,
  SETTINGS_TAB,
  validationsOf,
  type FormatRule,
  type TabDef,
} from '../layout';
import { settingKeyOf } from '../setting-rows';
import { fitHeaderWords, lookOf } from '../look';
import type { CellUpdate, MaybePromise, Plan, Snapshot, TabPlan, TabSnapshot, Workbook } from '../workbook';
import {
  headerLabel,
  headersOf,
  layoutTabOf,
  tabLabel,
  tabNames,
  valueColumnsOf,
  type ValueColumn,
} from './workbook-labels';

export interface LocalizeOptions {
  /** The language of a workbook without a Settings tab (a new one): `init --lang`, the installing user's locale. */
  readonly language?: Language;
  /**
   * Bring a workbook that still has another language's names into its language: rename tabs,
   * rewrite headers and the sync's own labels in place. The sync and Set up do; other actions
   * (approve, the eligibility check, …) write into the tabs as they are named, so a language
   * switch happens at one predictable moment.
   */
  readonly relabel?: boolean;
}

/** What a read found of one layout tab: where it is and what is not yet in the workbook's language. */
interface TabState {
  /** The sheet's name; undefined when the workbook has no such tab. */
  readonly actual?: string;
  /** The header as read, canonical. */
  readonly header: readonly string[];
  headerUpdates: { col: number; value: string }[];
  staleCells: CellUpdate[];
}

const LAYOUT_BY_NAME = new Map(LAYOUT.map((d) => [d.name, d]));

function then<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

export class LocalizedWorkbook implements Workbook {
  private language: Language;
  private readonly tabs = new Map<string, TabState>();

  constructor(
    readonly inner: Workbook,
    private readonly options: LocalizeOptions = {},
  ) {
    this.language = options.language ?? DEFAULT_LANGUAGE;
  }

  /** The workbook's language as of the last read. */
  get lang(): Language {
    return this.language;
  }

  /** The sheet name of a layout tab as of the last read (its name in the workbook's language when absent). */
  sheetName(canonical: string): string {
    return this.tabs.get(canonical)?.actual ?? tabLabel(canonical, this.language);
  }

  read(names: readonly string[]): MaybePromise<Snapshot> {
    const wanted = [...new Set([SETTINGS_TAB.name, ...names])];
    const raw = wanted.flatMap((n) => (LAYOUT_BY_NAME.has(n) ? tabNames(n, this.language) : [n]));
    return then(this.inner.read([...new Set(raw)]), (snapshot) => this.adopt(snapshot, wanted, names));
  }

  apply(plan: Plan): MaybePromise<void> {
    const unread = plan.tabs.map((t) => t.tab).filter((n) => LAYOUT_BY_NAME.has(n) && !this.tabs.has(n));
    // Headers say which columns hold labels, and the current names what to rename: read them first.
    const ready = unread.length ? then(this.read(unread), () => undefined) : undefined;
    return then(ready, () => {
      const translated = this.translate(plan);
      return then(this.inner.apply(translated), () => this.written(translated));
    });
  }

  listTabs(): MaybePromise<string[]> {
    if (!this.inner.listTabs) return [];
    return then(this.inner.listTabs(), (names) => [...new Set(names.map((n) => layoutTabOf(n) ?? n))]);
  }

  private adopt(raw: Snapshot, wanted: readonly string[], requested: readonly string[]): Snapshot {
    const found = (canonical: string) => {
      const names = LAYOUT_BY_NAME.has(canonical) ? tabNames(canonical, this.language) : [canonical];
      return names.map((n) => raw[n]).find((t) => t !== undefined);
    };
    const settings = found(SETTINGS_TAB.name);
    const mappedSettings = settings && mapTab(SETTINGS_TAB.name, settings, this.language).tab;
    this.language = settingsLanguage(mappedSettings) ?? (settings ? DEFAULT_LANGUAGE : this.language);
    const out: Snapshot = {};
    for (const canonical of wanted) {
      const tab = found(canonical);
      const mapped = tab && mapTab(canonical, tab, this.language);
      if (LAYOUT_BY_NAME.has(canonical))
        this.tabs.set(canonical, {
          actual: tab?.name,
          header: mapped?.tab.header ?? [],
          headerUpdates: mapped?.headerUpdates ?? [],
          staleCells: mapped?.staleCells ?? [],
        });
      if (mapped && requested.includes(canonical)) out[canonical] = mapped.tab;
    }
    return out;
  }

  private translate(plan: Plan): Plan {
    const lang = this.language;
    const relabel = !!this.options.relabel;
    const tabs = plan.tabs.map((t) => {
      const def = LAYOUT_BY_NAME.get(t.tab);
      return def ? translateTab(t, def, this.tabs.get(t.tab), lang, relabel) : t;
    });
    if (!relabel) return { tabs };
    // Tabs the plan leaves alone but that still speak another language: renamed and relabelled too.
    for (const [canonical, st] of this.tabs) {
      if (plan.tabs.some((t) => t.tab === canonical) || !st.actual) continue;
      const t = translateTab({ tab: canonical }, LAYOUT_BY_NAME.get(canonical)!, st, lang, true);
      if (t.renameFrom || t.headerUpdates || t.updates || t.formats || t.validations || t.look) tabs.push(t);
    }
    return { tabs };
  }

  /** After a write the workbook is in the target language. */
  private written(plan: Plan): void {
    for (const t of plan.tabs) {
      const canonical = layoutTabOf(t.tab);
      const st = canonical && this.tabs.get(canonical);
      if (!canonical || !st) continue;
      // A new or reshaped header is read again before the next plan addresses its columns.
      if (t.create || t.replace || t.addColumns?.length) this.tabs.delete(canonical);
      else this.tabs.set(canonical, { ...st, actual: t.tab, headerUpdates: [], staleCells: [] });
    }
  }
}

/** The Settings › Language a (canonical) Settings tab names, if it is one of ours. */
function settingsLanguage(settings: TabSnapshot | undefined): Language | undefined {
  if (!settings) return undefined;
  const idx = indexColumns(SETTINGS_TAB, settings.header);
  if (idx.setting < 0 || idx.value < 0) return undefined;
  const row = settings.rows.find((r) => settingKeyOf(r[idx.setting]) === 'language');
  const value = normalizeHeader(row?.[idx.value]);
  return (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : undefined;
}

/** A tab as read → canonical, with what is not yet in `lang` (header cells, the sync's own labels). */
function mapTab(canonical: string, raw: TabSnapshot, lang: Language) {
  const headers = headersOf(LAYOUT_BY_NAME.has(canonical) ? canonical : undefined);
  const headerUpdates: { col: number; value: string }[] = [];
  const header = raw.header.map((h, col) => {
    const c = headers.read(h);
    if (c === undefined) return h;
    const target = headerLabel(c, lang);
    if (LAYOUT_BY_NAME.has(canonical) && normalizeHeader(h) !== normalizeHeader(target))
      headerUpdates.push({ col, value: target });
    return c;
  });
  const def = LAYOUT_BY_NAME.get(canonical);
  const staleCells: CellUpdate[] = [];
  let rows = raw.rows;
  if (def) {
    const idx = indexColumns(def, header);
    const copied = new Uint8Array(rows.length); // each row is copied once, whatever number of its cells change
    for (const vc of valueColumnsOf(canonical)) {
      const col = idx[vc.key];
      if (col >= 0) rows = mapColumn(rows, col, vc, lang, staleCells, copied);
    }
  }
  return { tab: { name: canonical, header, rows } satisfies TabSnapshot, headerUpdates, staleCells };
}

/** One value column to canonical (rows copied only where a cell changes); stale labels collected. */
function mapColumn(
  rows: Row[],
  col: number,
  vc: ValueColumn,
  lang: Language,
  stale: CellUpdate[],
  copied: Uint8Array,
): Row[] {
  const seen = new Map<string, { canonical?: string; target?: string }>();
  let out = rows;
  for (let i = 0; i < rows.length; i++) {
    const cell = rows[i][col];
    if (typeof cell !== 'string' || cell === '') continue;
    let known = seen.get(cell);
    if (!known) {
      const canonical = vc.codec.read(cell);
      const target = canonical === undefined ? undefined : vc.codec.write(canonical, lang);
      known = {
        canonical,
        target: target !== undefined && normalizeHeader(target) !== normalizeHeader(cell) ? target : undefined,
      };
      seen.set(cell, known);
    }
    if (known.canonical !== undefined && known.canonical !== cell) {
      if (out === rows) out = rows.slice();
      if (!copied[i]) {
        out[i] = rows[i].slice();
        copied[i] = 1;
      }
      out[i][col] = known.canonical;
    }
    if (vc.rewrite && known.target !== undefined) stale.push({ row: i, col, value: known.target });
  }
  return out;
}

/**
 * What a tab switched to another language needs besides its names: the layout's rules that name a
 * text (colours that look for a Status or a flag, pick-lists), which would keep looking for the old
 * texts, and — on a report, whose look is ours alone — widths and header height fitted to the new
 * headers ("Сертификаттар" is wider than "Certificates"). Other tabs keep the widths people gave
 * them. Translated below like the rest of the plan; a plan that carries its own keeps those.
 */
function switchedRules(t: TabPlan, def: TabDef): Pick<TabPlan, 'formats' | 'validations' | 'look'> {
  const validations = validationsOf(def);
  return {
    formats: t.formats ?? (def.formats?.some((f) => f.kind === 'textColor') ? def.formats : undefined),
    validations: t.validations ?? (validations.some((v) => v.kind === 'list') ? validations : undefined),
    look: t.look ?? (def.kind === 'report' ? lookOf(def) : undefined),
  };
}

/** A canonical plan for one layout tab → the same plan in `lang`, plus the renames and relabels it needs. */
function translateTab(plan: TabPlan, def: TabDef, st: TabState | undefined, lang: Language, relabel: boolean): TabPlan {
  const name = relabel ? tabLabel(def.name, lang) : (st?.actual ?? tabLabel(def.name, lang));
  const renameFrom = st?.actual && st.actual !== name ? st.actual : undefined;
  const switched = relabel && !!st?.actual && (!!renameFrom || st.headerUpdates.length > 0);
  const t = switched ? { ...plan, ...switchedRules(plan, def) } : plan;
  const values = new ValueTranslator(def, lang);
  const working = t.replace?.header ?? [
    ...(st?.actual ? st.header : (t.create?.header ?? [])),
    ...(t.addColumns ?? []),
  ];
  const byCol = values.byColumn(working);
  const rewrites = t.replace || !relabel ? [] : (st?.staleCells ?? []);
  const updates = mergeUpdates(
    t.updates?.map((u) => values.update(u, byCol)),
    rewrites,
  );
  const header = (h: string) => headerLabel(h, lang);
  const out: TabPlan = {
    ...t,
    tab: name,
    renameFrom,
    headerUpdates: relabel && !t.replace && st?.headerUpdates.length ? st.headerUpdates : t.headerUpdates,
    create: t.create && { header: t.create.header.map(header) },
    addColumns: t.addColumns?.map(header),
    updates,
    anchorColumns:
      t.anchorColumns ?? (rewrites.length && st?.actual ? anchorColumns(def, indexColumns(def, st.header)) : undefined),
    appends: t.appends?.map((r) => values.row(r, byCol)),
    replace: t.replace && {
      header: t.replace.header.map(header),
      rows: t.replace.rows.map((r) => values.row(r, byCol)),
    },
    formats: t.formats?.map((f) => values.format(f)),
    numberFormats: t.numberFormats && mapKeys(t.numberFormats, header),
    validations: t.validations?.map((v) =>
      v.kind === 'list'
        ? { ...v, column: header(v.column), values: v.values.map((x) => values.text(v.column, x)) }
        : { ...v, column: header(v.column) },
    ),
    protections: t.protections?.map((p) => (p.columns ? { ...p, columns: p.columns.map(header) } : p)),
    look: t.look && { ...t.look, widths: t.look.widths && fitHeaderWords(mapKeys(t.look.widths, header)) },
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as TabPlan;
}

/** The plan's own updates win over the relabelling of the same cell. */
function mergeUpdates(updates: CellUpdate[] | undefined, rewrites: readonly CellUpdate[]): CellUpdate[] | undefined {
  if (!rewrites.length) return updates;
  if (!updates?.length) return [...rewrites];
  const planned = new Set(updates.map((u) => `${u.row}:${u.col}`));
  return [...updates, ...rewrites.filter((u) => !planned.has(`${u.row}:${u.col}`))];
}

function mapKeys<V>(record: Readonly<Record<string, V>>, f: (k: string) => string): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [f(k), v]));
}

/** Canonical values of a tab's value columns → `lang`. The identity for English. */
class ValueTranslator {
  private readonly byHeader: Map<string, ValueColumn>;

  constructor(
    def: TabDef,
    private readonly lang: Language,
  ) {
    this.byHeader = new Map(valueColumnsOf(def.name).map((vc) => [normalizeHeader(vc.header), vc]));
  }

  /** Value column by position in a (canonical) header; empty when nothing needs translating. */
  byColumn(header: readonly string[]): Map<number, ValueColumn> {
    const out = new Map<number, ValueColumn>();
    if (this.lang === 'en') return out;
    header.forEach((h, i) => {
      const vc = this.byHeader.get(normalizeHeader(h));
      if (vc) out.set(i, vc);
    });
    return out;
  }

  text(header: string, value: string): string {
    const vc = this.byHeader.get(normalizeHeader(header));
    return vc && this.lang !== 'en' ? vc.codec.write(value, this.lang) : value;
  }

  cell(value: Cell, vc: ValueColumn | undefined): Cell {
    return vc && typeof value === 'string' && value !== '' ? vc.codec.write(value, this.lang) : value;
  }

  update(u: CellUpdate, byCol: Map<number, ValueColumn>): CellUpdate {
    const vc = byCol.get(u.col);
    return vc ? { ...u, value: this.cell(u.value, vc) } : u;
  }

  row(r: Row, byCol: Map<number, ValueColumn>): Row {
    if (!byCol.size) return r;
    let out = r;
    for (const [col, vc] of byCol) {
      const v = this.cell(r[col] ?? null, vc);
      if (v !== (r[col] ?? null)) {
        if (out === r) out = r.slice();
        out[col] = v;
      }
    }
    return out;
  }

  format(f: FormatRule): FormatRule {
    const column = headerLabel(f.column, this.lang);
    return f.kind === 'textColor' ? { ...f, column, equals: this.text(f.column, f.equals) } : { ...f, column };
  }
}

/** The decorator every front end opens its workbook through (idempotent). */
export function localized(workbook: Workbook, options: LocalizeOptions = {}): LocalizedWorkbook {
  return workbook instanceof LocalizedWorkbook ? workbook : new LocalizedWorkbook(workbook, options);
}
