/** The languages MOOC Desk speaks: the add-on's catalogs and the values the Settings `Language` row accepts. */
export const LANGUAGES = ['en', 'kk', 'ru'] as const;

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** `kk_KZ.UTF-8`, `ru-RU`, `ru` → a supported language; anything else (`C`, `de_DE`, blank) → null. */
export function languageOfLocale(locale: string | null | undefined): Language | null {
  const base = String(locale ?? '')
    .trim()
    .toLowerCase()
    .split(/[-_.@]/)[0];
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : null;
}

/** The environment's language as POSIX resolves it: LC_ALL, else LC_MESSAGES, else LANG; English otherwise. */
export function languageOfEnv(env: Readonly<Record<string, string | undefined>>): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return languageOfLocale(locale) ?? DEFAULT_LANGUAGE;
}
