/** The `Settings` tab, validated. A bad value stops the sync with a message naming the row. */
import { z } from 'zod';
import { cellText, type Cell } from './cells';
import { indexColumns, SETTINGS_TAB } from './layout';
import { isValidTimeZone, parseCalendarDate } from './time';
import type { TabSnapshot } from './workbook';
import { InputError } from './errors';

export const LANGUAGES = ['en', 'kk', 'ru'] as const;

export const SettingsSchema = z.object({
  engagementThreshold: z.number().min(0).max(100),
  timeZone: z.string().refine(isValidTimeZone, { message: 'unknown time zone (use an IANA name such as Asia/Almaty)' }),
  defaultDeadline: z.string().nullable(),
  atRiskDays: z.number().int().min(0).max(365),
  cohort: z.string(),
  language: z.enum(LANGUAGES),
  /** E-mails (lower-cased) allowed to approve any row and to override. */
  admins: z.array(z.string()),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  engagementThreshold: 60,
  timeZone: 'Asia/Almaty',
  defaultDeadline: null,
  atRiskDays: 14,
  cohort: '',
  language: 'en',
  admins: [],
};

const KEYS: Record<string, keyof Settings> = {
  'engagement threshold %': 'engagementThreshold',
  'time zone': 'timeZone',
  'default deadline': 'defaultDeadline',
  'at-risk window (days)': 'atRiskDays',
  cohort: 'cohort',
  language: 'language',
  admins: 'admins',
};

export class SettingsError extends InputError {}

/** Reads Settings; missing rows take defaults, unknown rows are left for humans. */
export function readSettings(tab: TabSnapshot | undefined): Settings {
  const raw: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (tab) {
    const idx = indexColumns(SETTINGS_TAB, tab.header);
    if (idx.setting === -1 || idx.value === -1) throw new SettingsError('Settings tab: header must have "Setting" and "Value"');
    tab.rows.forEach((row, i) => {
      const key = KEYS[cellText(row[idx.setting]).toLowerCase()];
      if (!key) return;
      const value: Cell = row[idx.value] ?? null;
      try {
        raw[key] = convert(key, value);
      } catch (e) {
        throw new SettingsError(`Settings tab, row ${i + 2} (${cellText(row[idx.setting])}): ${(e as Error).message}`);
      }
    });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsError(`Settings tab: ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

function convert(key: keyof Settings, value: Cell): unknown {
  const t = cellText(value);
  switch (key) {
    case 'engagementThreshold':
    case 'atRiskDays': {
      if (t === '') return DEFAULT_SETTINGS[key];
      const n = typeof value === 'number' ? value : Number(t.replace(',', '.').replace(/%$/, ''));
      if (!Number.isFinite(n)) throw new Error(`"${t}" is not a number`);
      // A cell formatted as a percentage holds 0.6 for "60%": a threshold of at most 1 % makes no sense.
      if (key === 'engagementThreshold' && n > 0 && n <= 1) return Math.round(n * 10000) / 100;
      return n;
    }
    case 'defaultDeadline':
      return parseCalendarDate(value);
    case 'timeZone':
      return t || DEFAULT_SETTINGS.timeZone;
    case 'language':
      return (t || 'en').toLowerCase();
    case 'admins':
      return t
        .split(/[,;\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    default:
      return t;
  }
}
