/**
 * Messages for the menu, the sidebars and the server's answers. Language: the Settings `Language`
 * row when set, else the user's locale, else English.
 */
import { LANGUAGES, languageOfLocale, type Language } from '../../../shared/src/languages';
import { en, type MessageKey } from './en';
import { kk } from './kk';
import { ru } from './ru';
import type { Catalog } from './catalog';
import { format, type Params } from './format';

export { format, type Params };

export type { MessageKey, Catalog };
/** The shared list (the Settings `Language` row accepts the same values). */
export const LANGS = LANGUAGES;
export type Lang = Language;
export const CATALOGS: Readonly<Record<Lang, Catalog>> = { en, kk, ru };

/** `kk_KZ`, `ru-RU`, `ru` → a supported language; anything else → null. */
export const langFromLocale = languageOfLocale;

export function pickLang(settingsLanguage: string | null | undefined, userLocale: string | null | undefined): Lang {
  return langFromLocale(settingsLanguage) ?? langFromLocale(userLocale) ?? 'en';
}

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = CATALOGS[lang][key] ?? en[key];
  if (template === undefined) throw new Error(`missing message "${key}"`);
  return format(template, params);
}

export type Translator = (key: MessageKey, params?: Params) => string;
export const translator =
  (lang: Lang): Translator =>
  (key, params) =>
    translate(lang, key, params);
