/**
 * Apps Script entry points. esbuild bundles this file as the global `MoocDesk`; the build then
 * writes one top-level function per export (menu items, triggers, google.script.run endpoints),
 * because Apps Script only sees top-level functions. Export nothing else from here.
 */
import {
  CERTIFICATES_BY_COURSE_TAB,
  HISTORY_TAB,
  LEVELS_BY_GROUP_TAB,
  PROGRESS_TAB,
  SETTINGS_TAB,
  SUMMARY_BY_SCHOOL_TAB,
} from '../../../shared/src/layout';
import type { ServerApi, SidebarBoot, SidebarName } from '../api';
import { CATALOGS, translator, type Lang, type MessageKey, type Translator } from '../i18n';
import { AppsScriptWorkbook, WorkbookBusyError } from './apps-script-workbook';
import { auditChainAlert } from './audit-check';
import { drawSessionsCharts, drawSummaryCharts } from './charts';
import type { ServerContext } from './context';
import type { LockLike } from './gas-types';
import { createServerApi } from './endpoints';
import { appsScriptFileHost } from './file-host';
import { languageOf } from './lang';
import { localizedSync, type LocalizedSyncWorkbook } from './localized';
import { setupPlan, SETUP_TABS } from './setup';
import { renderSidebar } from './sidebar';
import { NoProgressTabError, refreshSummaries } from './summaries';

/** The document lock, taken from LockService only when a write needs it (reads and onOpen never do). */
function documentLock(): LockLike {
  let lock: GoogleAppsScript.Lock.Lock | null = null;
  const get = () => (lock ??= LockService.getDocumentLock());
  return { waitLock: (ms) => get().waitLock(ms), releaseLock: () => get().releaseLock() };
}

function workbook(): AppsScriptWorkbook {
  return new AppsScriptWorkbook(SpreadsheetApp.getActiveSpreadsheet(), {
    app: SpreadsheetApp,
    lock: documentLock(),
    self: () => Session.getEffectiveUser().getEmail(),
  });
}

function userLocale(): string {
  try {
    return Session.getActiveUserLocale();
  } catch {
    return '';
  }
}

/** Tabs and labels in Settings › Language; a workbook without Settings speaks the user's locale. */
function localizedWorkbook(wb: AppsScriptWorkbook, relabel = false): LocalizedSyncWorkbook {
  return localizedSync(wb, { language: languageOf(undefined, userLocale()), relabel });
}

function context(): ServerContext {
  const wb = workbook();
  return {
    workbook: localizedWorkbook(wb),
    syncWorkbook: localizedWorkbook(wb, true),
    exclusive: (fn) => wb.withLock(fn),
    userEmail: () => {
      try {
        return (Session.getActiveUser().getEmail() || '').trim().toLowerCase();
      } catch {
        return '';
      }
    },
    userLocale,
    now: () => Date.now(),
    files: appsScriptFileHost(() => SpreadsheetApp.getActiveSpreadsheet()),
  };
}

function language(wb: AppsScriptWorkbook): Lang {
  return languageOf(localizedWorkbook(wb).read([SETTINGS_TAB.name])[SETTINGS_TAB.name], userLocale());
}

/**
 * Builds the menu. In AuthMode.NONE (add-on not yet enabled in this document) only the user's
 * locale is known: the spreadsheet must not be read, so Settings `Language` is skipped.
 */
export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  let lang: Lang;
  const limited = e && e.authMode === ScriptApp.AuthMode.NONE;
  try {
    lang = limited ? languageOf(undefined, userLocale()) : language(workbook());
  } catch {
    lang = languageOf(undefined, userLocale());
  }
  const t = translator(lang);
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem(t('menu.setUp'), 'menuSetUp')
    .addItem(t('menu.import'), 'menuImport')
    .addSeparator()
    .addItem(t('menu.eligibility'), 'menuEligibility')
    .addItem(t('menu.students'), 'menuStudents')
    .addItem(t('menu.approval'), 'menuApproval')
    .addItem(t('menu.attendance'), 'menuAttendance')
    .addSeparator()
    .addItem(t('menu.refreshSummaries'), 'menuRefreshSummaries')
    .addItem(t('menu.recognition'), 'menuRecognitionReport')
    .addItem(t('menu.auditCheck'), 'menuAuditCheck')
    .addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

/** Runs a menu command; failures become a dialog in the user's language instead of a stack trace. */
function command(fn: (wb: AppsScriptWorkbook, t: Translator) => void): void {
  const wb = workbook();
  let t = translator('en');
  try {
    t = translator(language(wb));
    fn(wb, t);
  } catch (e) {
    const message =
      e instanceof WorkbookBusyError
        ? t('msg.busy')
        : e instanceof NoProgressTabError
          ? t('msg.noProgress')
          : (e as Error).message;
    SpreadsheetApp.getUi().alert(t('msg.failed', { message }));
  }
}

export function menuSetUp(): void {
  command((wb, t) => {
    const ss = wb.spreadsheet;
    ss.toast(t('msg.setupProgress'), t('menu.title'), -1);
    const lw = localizedWorkbook(wb, true); // Set up brings the tabs into Settings › Language
    const { plan, summary } = setupPlan(lw.read(SETUP_TABS), languageOf(undefined, userLocale()));
    lw.apply(plan);
    ss.toast(t('msg.setupDone', { created: summary.created.length, added: summary.addedColumns }), t('menu.title'), 10);
    alertBrokenAudit(auditChainAlert(summary.audit, t));
  });
}

export function menuRefreshSummaries(): void {
  command((wb, t) => {
    const ss = wb.spreadsheet;
    ss.toast(t('msg.summariesProgress'), t('menu.title'), -1);
    const lw = localizedWorkbook(wb);
    const { progressRows, audit, sessionsCharts, facilitatedProblem } = refreshSummaries(lw);
    const summary = wb.sheet(lw.sheetName(SUMMARY_BY_SCHOOL_TAB.name));
    if (summary) {
      wb.withLock(() =>
        drawSummaryCharts(
          summary,
          wb.sheet(lw.sheetName(PROGRESS_TAB.name)),
          Charts.ChartType,
          {
            completionBySchool: t('chart.completionBySchool'),
            engagementDistribution: t('chart.engagementDistribution'),
            trend: t('chart.trend'),
          },
          wb.sheet(lw.sheetName(HISTORY_TAB.name)),
        ),
      );
    }
    wb.withLock(() =>
      drawSessionsCharts(
        wb.sheet(lw.sheetName(LEVELS_BY_GROUP_TAB.name)),
        wb.sheet(lw.sheetName(CERTIFICATES_BY_COURSE_TAB.name)),
        sessionsCharts,
        Charts.ChartType,
        { levels: t('chart.levels'), certificates: (course) => t('chart.certificates', { course }) },
      ),
    );
    ss.toast(t('msg.summariesDone', { rows: progressRows }), t('menu.title'), 10);
    if (facilitatedProblem) SpreadsheetApp.getUi().alert(t('msg.facilitatedProblem', { message: facilitatedProblem }));
    alertBrokenAudit(auditChainAlert(audit, t));
  });
}

function alertBrokenAudit(message: string | null): void {
  if (message) SpreadsheetApp.getUi().alert(message);
}

const SIDEBAR_TITLES: Readonly<Record<SidebarName, MessageKey>> = {
  eligibility: 'sidebar.eligibility.title',
  approval: 'sidebar.approval.title',
  import: 'sidebar.import.title',
  students: 'sidebar.students.title',
  attendance: 'sidebar.attendance.title',
};

function showSidebar(name: SidebarName): void {
  command((wb, t) => {
    const lang = language(wb);
    const boot: SidebarBoot = { sidebar: name, lang, messages: CATALOGS[lang] };
    const html = renderSidebar(HtmlService.createHtmlOutputFromFile(name).getContent(), boot);
    SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutput(html).setTitle(t(SIDEBAR_TITLES[name])));
  });
}

export function menuEligibility(): void {
  showSidebar('eligibility');
}

export function menuApproval(): void {
  showSidebar('approval');
}

export function menuImport(): void {
  showSidebar('import');
}

export function menuStudents(): void {
  showSidebar('students');
}

export function menuAttendance(): void {
  showSidebar('attendance');
}

/** The report goes to a new tab (never over an earlier one); the dialog says where and what was left out. */
export function menuRecognitionReport(): void {
  command((_, t) => {
    const result = api().writeRecognitionReport();
    const lines = [t('report.done', { rows: result.rows, tab: result.tab })];
    if (result.unverifiedTab) lines.push(t('report.leftOut', { n: result.unverified, tab: result.unverifiedTab }));
    SpreadsheetApp.getUi().alert(lines.join('\n\n'));
  });
}

export function menuAuditCheck(): void {
  command(() => SpreadsheetApp.getUi().alert(api().checkAudit().message));
}

// google.script.run endpoints: each builds a fresh context (the user and the sheet can change
// between calls) and re-checks everything on the server.
const api = (): ServerApi => createServerApi(context());

export const getEligibilityView: ServerApi['getEligibilityView'] = () => api().getEligibilityView();
export const runEligibilityCheck: ServerApi['runEligibilityCheck'] = () => api().runEligibilityCheck();
export const resolvePossibleMatch: ServerApi['resolvePossibleMatch'] = (row, email, same) =>
  api().resolvePossibleMatch(row, email, same);
export const enrollEligible: ServerApi['enrollEligible'] = (cohort, newCohort) =>
  api().enrollEligible(cohort, newCohort);
export const unenrollStudent: ServerApi['unenrollStudent'] = (email, reason) => api().unenrollStudent(email, reason);
export const getApprovalView: ServerApi['getApprovalView'] = () => api().getApprovalView();
export const approveRows: ServerApi['approveRows'] = (items) => api().approveRows(items);
export const revokeRow: ServerApi['revokeRow'] = (item) => api().revokeRow(item);
export const saveComment: ServerApi['saveComment'] = (item) => api().saveComment(item);
export const importExport: ServerApi['importExport'] = (upload) => api().importExport(upload);
export const replaceStudent: ServerApi['replaceStudent'] = (out, joining, reason) =>
  api().replaceStudent(out, joining, reason);
export const writeRecognitionReport: ServerApi['writeRecognitionReport'] = () => api().writeRecognitionReport();
export const checkAudit: ServerApi['checkAudit'] = () => api().checkAudit();
export const getAttendanceView: ServerApi['getAttendanceView'] = (request) => api().getAttendanceView(request);
export const startSession: ServerApi['startSession'] = (request) => api().startSession(request);
export const saveAttendance: ServerApi['saveAttendance'] = (request) => api().saveAttendance(request);
export const importAttendance: ServerApi['importAttendance'] = (upload) => api().importAttendance(upload);
