/** The Import sidebar's server function: an export file from the sidebar, synced as `mooc-desk sync` does. */
import { cellText } from '../../../shared/src/cells';
import { SETTINGS_TAB } from '../../../shared/src/layout';
import { refuseRenamedTabs } from '../../../shared/src/layout-guard';
import { SYNC_TABS, type ExportBatch, type SyncResult } from '../../../shared/src/sync-plan';
import { planSyncRun, renamedTabSuspects } from '../../../shared/src/sync-run';
import { isEmptyPlan, type Snapshot, type TabSnapshot } from '../../../shared/src/workbook';
import { IMPORT_REJECTED_SHOWN, MAX_IMPORT_BYTES, type ImportResult, type ServerApi } from '../api';
import type { Translator } from '../i18n';
import { readUploadedExport, XlsxUploadError } from './export-upload';
import type { FileHost } from './file-host';
import type { Session } from './session';
import { UserError } from './user-messages';

const MB = 1024 * 1024;

export function importEndpoints(session: Session): Pick<ServerApi, 'importExport'> {
  const { ctx } = session;
  return {
    importExport(upload) {
      const settings = session.read([SETTINGS_TAB.name]);
      const tr = session.translatorFor(settings);
      session.requireAdmin(settings, tr);
      const files = ctx.files;
      if (!files) throw new UserError(tr('import.unavailable'));
      const base64 = typeof upload?.base64 === 'string' ? upload.base64 : '';
      const name = cellText(upload?.name ?? '') || 'export.csv';
      if (!base64) throw new UserError(tr('import.noFile'));
      // Checked again here: the sidebar is not trusted, and a larger file would not finish in time.
      if ((base64.length * 3) / 4 > MAX_IMPORT_BYTES + 2)
        throw new UserError(tr('import.tooLarge', { max: MAX_IMPORT_BYTES / MB }));
      const started = ctx.now();
      const batch = readBatch(session, tr, files, name, base64);
      // Read and written through one workbook: the one that relabels, as `mooc-desk sync` does.
      const workbook = ctx.syncWorkbook ?? ctx.workbook;
      return session.exclusive(() => {
        const snapshot = workbook.read(SYNC_TABS);
        const result = session.guarded(tr, () => {
          refuseRenamed(session, files, snapshot);
          return planSyncRun(snapshot, batch, { syncedAt: ctx.now(), started });
        });
        if (!isEmptyPlan(result.plan)) workbook.apply(result.plan);
        return importSummary(result, batch, ctx.now() - started);
      });
    },
  };
}

/** Parsing needs no lock: only the write does. */
function readBatch(session: Session, tr: Translator, files: FileHost, name: string, base64: string): ExportBatch {
  try {
    return readUploadedExport(files, files.fromBase64(base64, name));
  } catch (e) {
    if (e instanceof XlsxUploadError) throw new UserError(tr('import.xlsx', { file: name }));
    return session.guarded(tr, () => {
      throw e;
    });
  }
}

/** A layout tab someone renamed is named in the refusal rather than built a second time (as in the CLI). */
function refuseRenamed(session: Session, files: FileHost, snapshot: Snapshot): void {
  const others = renamedTabSuspects(snapshot, () => files.listTabs());
  if (!others.length) return;
  const read = session.read(others);
  refuseRenamedTabs(
    snapshot,
    others.map((n) => read[n]).filter((t): t is TabSnapshot => !!t),
  );
}

function importSummary(result: SyncResult, batch: ExportBatch, durationMs: number): ImportResult {
  const s = result.stats;
  return {
    source: s.source,
    rowsRead: s.rowsRead,
    rejected: s.rejected,
    inserted: s.inserted,
    updated: s.updated,
    unchanged: s.unchanged,
    flags: s.flags,
    statuses: s.statuses,
    rejectedRows: batch.rejected.slice(0, IMPORT_REJECTED_SHOWN).map((r) => ({ line: r.line, reason: r.reason })),
    rejectedAlreadyLogged: s.rejectedAlreadyLogged,
    duplicateRows: s.duplicateRows.map((d) => ({ email: d.email, slug: d.slug, rows: [...d.rows] })),
    coursesWithoutDeadline: s.coursesWithoutDeadline,
    coursesNotInCatalog: s.coursesNotInCatalog,
    durationMs: Math.round(durationMs),
  };
}
