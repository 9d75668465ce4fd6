/** The UI language: the Settings `Language` row when filled, else the user's locale, else English. */
import { cellText } from '../../../shared/src/cells';
import { indexColumns, SETTINGS_TAB } from '../../../shared/src/layout';
import { settingKeyOf } from '../../../shared/src/setting-rows';
import type { TabSnapshot } from '../../../shared/src/workbook';
import { pickLang, type Lang } from '../i18n';

export function settingsLanguage(settings: TabSnapshot | undefined): string | null {
  if (!settings) return null;
  const idx = indexColumns(SETTINGS_TAB, settings.header);
  if (idx.setting < 0 || idx.value < 0) return null;
  const row = settings.rows.find((r) => settingKeyOf(r[idx.setting]) === 'language');
  return row ? cellText(row[idx.value]) || null : null;
}

export function languageOf(settings: TabSnapshot | undefined, userLocale: string): Lang {
  return pickLang(settingsLanguage(settings), userLocale);
}
