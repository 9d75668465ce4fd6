/**
 * Every text of the layout has an entry in every language, and no two entries of one tab (or one
 * value column) read alike in any language — else a header or a status could not be told back.
 * A new tab, column, status or flag fails here until the catalogs have it.
 */
import { AUDIT_ACTIONS } from '../../src/audit';
import { ELIGIBILITY_CODES } from '../../src/eligibility/check';
import { WORKBOOK_EN } from '../../src/i18n/workbook-en';
import { valueColumnsOf, WORKBOOK_CATALOGS } from '../../src/i18n/workbook-labels';
import { normalizeHeader } from '../../src/header-match';
import { LANGUAGES } from '../../src/languages';
import { GROUP_FLAGS, PARTICIPANT_FLAGS } from '../../src/facilitated/flags';
import {
  APPLICATION_STATUSES,
  ATTENDANCE_MARKS,
  LAYOUT,
  MATCH_DECISIONS,
  MODELS,
  PARTICIPANT_CATEGORIES,
  PARTICIPANT_FIELDS,
  ROSTER_STATUSES,
  SCHOOL_STATUSES,
  SESSION_MODES,
} from '../../src/layout';
import { FLAGS, STATUSES } from '../../src/rules';
import { SETTING_KEYS, SETTING_ROWS } from '../../src/setting-rows';

const sections: [keyof typeof WORKBOOK_EN, readonly string[]][] = [
  ['tabs', LAYOUT.map((t) => t.name)],
  ['headers', LAYOUT.flatMap((t) => t.columns.map((c) => c.header))],
  ['settings', SETTING_KEYS.map((k) => SETTING_ROWS[k].header)],
  ['status', STATUSES],
  ['flag', FLAGS],
  ['model', MODELS],
  ['rosterStatus', ROSTER_STATUSES],
  ['schoolStatus', SCHOOL_STATUSES],
  ['matchDecision', MATCH_DECISIONS],
  ['eligibility', ELIGIBILITY_CODES],
  ['auditAction', AUDIT_ACTIONS],
  ['participantFlag', PARTICIPANT_FLAGS],
  ['groupFlag', GROUP_FLAGS],
  ['sessionMode', SESSION_MODES],
  ['participantCategory', PARTICIPANT_CATEGORIES],
  ['participantField', PARTICIPANT_FIELDS],
  ['applicationStatus', APPLICATION_STATUSES],
  ['attendanceMark', ATTENDANCE_MARKS],
];

describe.each(LANGUAGES)('workbook catalog %s', (lang) => {
  const catalog = WORKBOOK_CATALOGS[lang] as unknown as Record<string, Record<string, string>>;

  test.each(sections)('has a non-blank text for every %s', (section, canonicals) => {
    const missing = canonicals.filter((c) => !catalog[section][c]?.trim());
    expect(missing).toEqual([]);
  });

  test('headers of one tab read differently, whatever language each is in', () => {
    for (const tab of LAYOUT) {
      const seen = new Map<string, string>();
      for (const c of tab.columns)
        for (const l of LANGUAGES) {
          const text = normalizeHeader((WORKBOOK_CATALOGS[l].headers as Record<string, string>)[c.header]);
          expect([tab.name, text, seen.get(text) ?? c.header]).toEqual([tab.name, text, c.header]);
          seen.set(text, c.header);
        }
    }
  });

  test('tab names fit Excel (31 characters, no : \\ / ? * [ ]) and differ from every other tab in any language', () => {
    const all = LANGUAGES.flatMap((l) =>
      LAYOUT.map((t) => [t.name, WORKBOOK_CATALOGS[l].tabs[t.name as keyof typeof WORKBOOK_EN.tabs]]),
    );
    for (const [canonical, name] of all) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[:\\/?*[\]]/);
      expect(all.filter(([c, n]) => n === name && c !== canonical)).toEqual([]);
    }
  });

  test('values of one column are told apart, and no label has a comma (Flags are a comma-separated list)', () => {
    for (const tab of LAYOUT)
      for (const vc of valueColumnsOf(tab.name)) {
        for (const c of vc.codec.values) {
          const text = vc.codec.write(c, lang);
          if (vc.key === 'flags') expect(text).not.toContain(',');
          expect(vc.codec.read(text)).toBe(c);
        }
      }
  });

  test('English is canonical: every English text is its own key', () => {
    for (const [section] of sections) {
      const en = WORKBOOK_EN[section] as Record<string, string>;
      expect(Object.entries(en).filter(([k, v]) => k !== v)).toEqual([]);
    }
  });
});

describe('Eligibility detail', () => {
  const details = [
    'missing School, IIN',
    'School status "Graduated" is not one of Active, Expelled, Dropping out, Academic leave',
    'IIN "12ab" must contain digits only',
    'IIN "123" has 3 digits, not 12',
    'IIN 000101000000: 7th digit 0 is not a century/sex digit (1–6)',
    'IIN 001301500000: 001301 is not a valid birth date (YYMMDD)',
    'IIN 000101500011: no check digit is possible for these digits',
    'IIN 000101500012: check digit is 2, expected 4',
    '"a@" is not a valid e-mail address',
    'cohort "2024, spring" (Participants history row 7, same IIN)',
    'cohort "2024" (Participants history row 7, confirmed same person)',
    'School status: Academic leave',
    'same school and Student ID as Candidates row 3',
    'same birth date (2000-01-01) and name as Participants history row 9: "Асқар Омаров", cohort "2023", IIN 000101500014; set Match decision to "Same person" or "Different person"',
    'same birth date (2000-01-01) and name as Participants history row 9: "Асқар Омаров", cohort "2023"; set Match decision to "Same person" or "Different person"',
    'enrolled in cohort "2026" (Participants history row 12)',
    'not the same person as Participants history row 4 (Match decision)',
  ];
  const codec = valueColumnsOf('Candidates').find((c) => c.key === 'eligibilityDetail')!.codec;

  test.each(LANGUAGES)('%s: every detail the check writes reads back as written', (lang) => {
    for (const d of details) {
      const shown = codec.write(d, lang);
      if (lang !== 'en') expect(shown).not.toBe(d);
      expect(codec.read(shown)).toBe(d);
    }
  });

  test('a detail no template knows is kept as written', () => {
    expect(codec.write('typed by hand', 'kk')).toBe('typed by hand');
    expect(codec.read('typed by hand')).toBeUndefined();
  });
});
