/**
 * The rows of the Settings tab, defined once: the text in the `Setting` column, the default, the
 * schema of the value and how a cell becomes that value. The template's seed rows, the defaults
 * and the reader (shared/src/settings.ts) all derive from this table. It imports nothing from the
 * layout, so the layout can seed the Settings tab from it without an import cycle.
 */
import { z } from 'zod';
import { cellText, type Cell } from './cells';
import { normalizeHeader } from './header-match';
import { DEFAULT_LANGUAGE, LANGUAGES } from './languages';
import { isValidTimeZone, parseCalendarDate } from './time';

interface SettingRow<S extends z.ZodType> {
  /** Text in the `Setting` column (matched trimmed, case-insensitive). */
  readonly header: string;
  readonly schema: S;
  readonly default: z.infer<S>;
  /** The Value cell → the value the schema checks; throws with a message for the user. Blank → default. */
  readonly read: (value: Cell) => unknown;
}

const row = <S extends z.ZodType>(r: SettingRow<S>): SettingRow<S> => r;

/** A number typed as `60`, `60%`, `12,5`; blank is the default. */
function numberCell(value: Cell, fallback: number): number {
  const t = cellText(value);
  if (t === '') return fallback;
  const n = typeof value === 'number' ? value : Number(t.replace(',', '.').replace(/%$/, ''));
  if (!Number.isFinite(n)) throw new Error(`"${t}" is not a number`);
  return n;
}

/** In template order: the Settings tab of a new workbook lists them so. */
export const SETTING_ROWS = {
  engagementThreshold: row({
    header: 'Engagement threshold %',
    schema: z.number().min(0).max(100),
    default: 60,
    read: (value) => {
      const n = numberCell(value, 60);
      // A cell formatted as a percentage holds 0.6 for "60%": a threshold of at most 1 % makes no sense.
      return n > 0 && n <= 1 ? Math.round(n * 10000) / 100 : n;
    },
  }),
  timeZone: row({
    header: 'Time zone',
    schema: z.string().refine(isValidTimeZone, { message: 'unknown time zone (use an IANA name such as Asia/Almaty)' }),
    default: 'Asia/Almaty',
    read: (value) => cellText(value) || 'Asia/Almaty',
  }),
  defaultDeadline: row({
    header: 'Default deadline',
    schema: z.string().nullable(),
    default: null,
    read: parseCalendarDate,
  }),
  atRiskDays: row({
    header: 'At-risk window (days)',
    schema: z.number().int().min(0).max(365),
    default: 14,
    read: (value) => numberCell(value, 14),
  }),
  cohort: row({
    header: 'Cohort',
    schema: z.string(),
    default: '',
    read: cellText,
  }),
  language: row({
    header: 'Language',
    schema: z.enum(LANGUAGES),
    default: DEFAULT_LANGUAGE,
    read: (value) => (cellText(value) || DEFAULT_LANGUAGE).toLowerCase(),
  }),
  /** E-mails (lower-cased) allowed to approve any row and to override. */
  admins: row({
    header: 'Admins',
    schema: z.array(z.string()),
    default: [],
    read: (value) =>
      cellText(value)
        .split(/[,;\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
  }),
  /** Facilitated sessions: absences (not excused) a participant may have before MISSED_SESSIONS; 0 = every session is compulsory. */
  allowedAbsences: row({
    header: 'Allowed absences',
    schema: z.number().int().min(0).max(1000),
    default: 0,
    read: (value) => numberCell(value, 0),
  }),
  /** Facilitated sessions: share of the session (the longest attendee's minutes) an attendee needs to count as present. */
  presentShare: row({
    header: 'Present at % of session',
    schema: z.number().min(0).max(100),
    default: 50,
    read: (value) => {
      const n = numberCell(value, 50);
      return n > 0 && n <= 1 ? Math.round(n * 10000) / 100 : n; // a percentage-formatted cell holds 0.5
    },
  }),
  /** Days after a completion without a certificate before CERTIFICATE_PENDING (every programme). */
  certificatePendingDays: row({
    header: 'Certificate pending after (days)',
    schema: z.number().int().min(0).max(365),
    default: 14,
    read: (value) => numberCell(value, 14),
  }),
};

export type SettingKey = keyof typeof SETTING_ROWS;

export const SETTING_KEYS = Object.keys(SETTING_ROWS) as SettingKey[];

const KEY_BY_HEADER = new Map(SETTING_KEYS.map((k) => [normalizeHeader(SETTING_ROWS[k].header), k]));

/** The setting a `Setting` cell names (trimmed, case-insensitive), or undefined for a row of the user's own. */
export function settingKeyOf(settingCell: unknown): SettingKey | undefined {
  return KEY_BY_HEADER.get(normalizeHeader(settingCell));
}

/** The template's rows: `[Setting, Value]` with each default as a cell (blank for none). */
export const SETTING_SEED_ROWS: ReadonlyArray<readonly [string, string | number]> = SETTING_KEYS.map((k) => {
  const d: unknown = SETTING_ROWS[k].default;
  return [
    SETTING_ROWS[k].header,
    Array.isArray(d) ? d.join(', ') : typeof d === 'number' || typeof d === 'string' ? d : '',
  ];
});
