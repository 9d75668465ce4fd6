/** The `Settings` tab, validated. A bad value stops the sync with a message naming the row. */
import { z } from 'zod';
import { cellText, type Cell } from './cells';
import { indexColumns, SETTINGS_TAB } from './layout';
import { SETTING_KEYS, SETTING_ROWS, settingKeyOf } from './setting-rows';
import type { TabSnapshot } from './workbook';
import { InputError } from './errors';

type SettingRows = typeof SETTING_ROWS;

export const SettingsSchema = z.object(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTING_ROWS[k].schema])) as {
    [K in keyof SettingRows]: SettingRows[K]['schema'];
  },
);

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS = Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTING_ROWS[k].default])) as Settings;

export class SettingsError extends InputError {}

/** Reads Settings; missing rows take defaults, unknown rows are left for humans. */
export function readSettings(tab: TabSnapshot | undefined): Settings {
  const raw: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (tab) {
    const idx = indexColumns(SETTINGS_TAB, tab.header);
    if (idx.setting === -1 || idx.value === -1)
      throw new SettingsError(`${SETTINGS_TAB.name} tab: header must have "Setting" and "Value"`);
    tab.rows.forEach((row, i) => {
      const key = settingKeyOf(row[idx.setting]);
      if (!key) return;
      const value: Cell = row[idx.value] ?? null;
      try {
        raw[key] = SETTING_ROWS[key].read(value);
      } catch (e) {
        throw new SettingsError(
          `${SETTINGS_TAB.name} tab, row ${i + 2} (${cellText(row[idx.setting])}): ${(e as Error).message}`,
        );
      }
    });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsError(`${SETTINGS_TAB.name} tab: ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}
