/**
 * Every catalog has exactly the English keys, every key the code uses exists, no placeholder is
 * lost in translation, and no user-facing text sits in code outside the catalogs.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ELIGIBILITY_CODES } from '../../shared/src/eligibility/check';
import { FLAGS } from '../../shared/src/rules';
import { FLAG_LABEL } from '../src/client/approval-model';
import { CATALOGS, LANGS, langFromLocale, pickLang, translate } from '../src/i18n';
import { en } from '../src/i18n/en';

const SRC = path.join(__dirname, '..', 'src');

function files(dir: string, ext: RegExp): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) =>
      d.isDirectory() ? files(path.join(dir, d.name), ext) : ext.test(d.name) ? [path.join(dir, d.name)] : [],
    );
}

const codeFiles = [...files(path.join(SRC, 'server'), /\.ts$/), ...files(path.join(SRC, 'client'), /\.ts$/)];
const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

describe('message catalogs', () => {
  test.each(LANGS)('%s has exactly the English keys, each non-empty with the same placeholders', (lang) => {
    const catalog = CATALOGS[lang] as Record<string, string>;
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect(typeof catalog[key] === 'string' && catalog[key].trim().length > 0).toBe(true);
      expect([key, placeholders(catalog[key])]).toEqual([key, placeholders(text)]);
    }
  });

  test('kk and ru are translated, not copies of English (menu and buttons)', () => {
    for (const key of ['menu.setUp', 'menu.eligibility', 'menu.approval', 'appr.approve', 'elig.run'] as const) {
      expect(CATALOGS.kk[key]).not.toBe(en[key]);
      expect(CATALOGS.ru[key]).not.toBe(en[key]);
      expect(CATALOGS.kk[key]).not.toBe(CATALOGS.ru[key]);
    }
  });

  test('every key the server and sidebars use exists (literal keys and code.* for every eligibility code)', () => {
    const used = new Set<string>();
    for (const file of codeFiles) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:t|tr|translate\([^,]+,)\s*\(?\s*'([a-z]+\.[A-Za-z_.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(
        /'((?:menu|sidebar|common|elig|code|status|flag|appr|msg|chart|att)\.[A-Za-z_.]+)'/g,
      ))
        used.add(m[1]);
    }
    for (const code of ELIGIBILITY_CODES) used.add(`code.${code}`);
    // Every flag the rules can raise has words in the sidebar (a Needs review row says why).
    for (const flag of FLAGS) used.add(`flag.${flag}`);
    expect(used.size).toBeGreaterThan(40);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  test('the approval sidebar says in words why a row needs review, for every flag the rules raise', () => {
    expect(FLAGS.filter((f) => FLAG_LABEL[f] !== `flag.${f}`)).toEqual([]);
  });

  test('a key that does not exist fails loudly instead of showing nothing', () => {
    expect(() => translate('kk', 'no.such.key' as never)).toThrow(/missing message/);
  });

  test('language: Settings Language first, then the user locale, else English', () => {
    expect(langFromLocale('kk_KZ')).toBe('kk');
    expect(langFromLocale('ru-RU')).toBe('ru');
    expect(langFromLocale('de')).toBeNull();
    expect(pickLang('ru', 'kk_KZ')).toBe('ru');
    expect(pickLang('', 'kk_KZ')).toBe('kk');
    expect(pickLang(null, 'fr_FR')).toBe('en');
  });

  test('no UI text in code: sidebar code builds text only through t(), server messages only through the catalogs', () => {
    // Client: any string literal that reads like words (two words or more) is UI text, unless it is
    // an attribute value (class names, test ids) or a selector.
    const ATTRIBUTES = new Set(['className', 'id', 'type', 'for', 'data-testid', 'rel', 'target']);
    const offenders: string[] = [];
    for (const file of files(path.join(SRC, 'client'), /\.ts$/)) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
          const parent = node.parent;
          const isAttribute =
            ts.isPropertyAssignment(parent) && ATTRIBUTES.has(parent.name.getText().replace(/['"]/g, ''));
          const isImport = ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent);
          if (!isAttribute && !isImport && /\p{L}{2,}\s+\p{L}{2,}/u.test(node.text))
            offenders.push(`${path.basename(file)}: "${node.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    for (const file of files(path.join(SRC, 'server'), /\.ts$/)) {
      const text = fs.readFileSync(file, 'utf8');
      // Menu captions, dialogs, toasts and titles get their text from t(...) only.
      for (const m of text.matchAll(/(?:alert|toast|setTitle|addItem)\((['"`])/g))
        offenders.push(`${path.basename(file)}: literal passed to ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  test('the sidebar HTML template carries no visible text of its own', () => {
    const html = fs
      .readFileSync(path.join(SRC, 'client', 'sidebar.html'), 'utf8')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, '');
    const visible = html.replace(/<[^>]+>/g, '').trim();
    expect(visible).toBe('');
  });
});
