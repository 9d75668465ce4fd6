/**
 * The add-on's workbook in Settings › Language (shared/src/i18n/localized-workbook.ts), with the
 * synchronous results google.script.run functions need: over a synchronous backend the decorator
 * never returns a promise.
 */
import { localized as localize, type LocalizeOptions } from '../../../shared/src/i18n/localized-workbook';
import type { Plan, Snapshot } from '../../../shared/src/workbook';
import type { SyncWorkbook } from './context';

export interface LocalizedSyncWorkbook extends SyncWorkbook {
  /** The sheet name of a layout tab (as last read, else in the workbook's language). */
  sheetName(canonical: string): string;
}

export function localizedSync(workbook: SyncWorkbook, options: LocalizeOptions = {}): LocalizedSyncWorkbook {
  const wb = localize(workbook, options);
  return {
    read: (tabs: readonly string[]) => wb.read(tabs) as Snapshot,
    apply: (plan: Plan) => void wb.apply(plan),
    sheetName: (canonical) => wb.sheetName(canonical),
  };
}
