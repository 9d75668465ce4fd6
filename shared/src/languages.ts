/** The languages MOOC Desk speaks: the add-on's catalogs and the values the Settings `Language` row accepts. */
export const LANGUAGES = ['en', 'kk', 'ru'] as const;

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';
