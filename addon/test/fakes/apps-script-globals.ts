/**
 * The Apps Script globals the built Code.js uses (SpreadsheetApp, HtmlService, Session, ...), over
 * a FakeSpreadsheet. AuthMode.NONE behaves like the real thing: the document is off limits, so
 * any attempt to open it throws and is recorded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FakeApp, FakeLock, FakeSpreadsheet } from './spreadsheet';

export const AuthMode = { NONE: 'NONE', LIMITED: 'LIMITED', FULL: 'FULL', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION' } as const;

export interface MenuItem {
  readonly caption: string;
  readonly functionName: string;
}

export class FakeHtmlOutput {
  title = '';
  constructor(readonly content: string) {}
  getContent(): string {
    return this.content;
  }
  setTitle(title: string): FakeHtmlOutput {
    this.title = title;
    return this;
  }
  setWidth(): FakeHtmlOutput {
    return this;
  }
}

export interface GasWorld {
  readonly globals: Record<string, unknown>;
  readonly spreadsheet: FakeSpreadsheet;
  readonly lock: FakeLock;
  readonly menus: { title: string; items: (MenuItem | 'separator')[] }[];
  readonly sidebars: FakeHtmlOutput[];
  readonly alerts: string[];
  /** Every attempt to open the document (must stay empty in AuthMode.NONE). */
  readonly documentAccess: string[];
  authMode: string;
  user: string;
  locale: string;
}

export function gasWorld(options: {
  distDir: string;
  user?: string;
  locale?: string;
  authMode?: string;
  spreadsheet?: FakeSpreadsheet;
}): GasWorld {
  const spreadsheet = options.spreadsheet ?? new FakeSpreadsheet();
  const lock = new FakeLock();
  const app = new FakeApp();
  const world: GasWorld = {
    globals: {},
    spreadsheet,
    lock,
    menus: [],
    sidebars: [],
    alerts: [],
    documentAccess: [],
    authMode: options.authMode ?? AuthMode.FULL,
    user: options.user ?? '',
    locale: options.locale ?? 'en',
  };
  const guardDocument = (what: string) => {
    world.documentAccess.push(what);
    if (world.authMode === AuthMode.NONE)
      throw new Error(`Exception: You do not have permission to call ${what} (AuthMode.NONE)`);
  };
  const ui = {
    createAddonMenu() {
      const menu = { title: 'add-on', items: [] as (MenuItem | 'separator')[] };
      const builder = {
        addItem(caption: string, functionName: string) {
          menu.items.push({ caption, functionName });
          return builder;
        },
        addSeparator() {
          menu.items.push('separator');
          return builder;
        },
        addToUi() {
          world.menus.push(menu);
        },
      };
      return builder;
    },
    showSidebar(output: FakeHtmlOutput) {
      world.sidebars.push(output);
    },
    alert(message: string) {
      world.alerts.push(message);
    },
  };
  world.globals.SpreadsheetApp = {
    getActiveSpreadsheet: () => (guardDocument('SpreadsheetApp.getActiveSpreadsheet'), spreadsheet),
    getActive: () => (guardDocument('SpreadsheetApp.getActive'), spreadsheet),
    getUi: () => ui,
    newDataValidation: () => app.newDataValidation(),
    newConditionalFormatRule: () => app.newConditionalFormatRule(),
    flush: () => app.flush(),
    InterpolationType: app.InterpolationType,
    ProtectionType: app.ProtectionType,
  };
  world.globals.LockService = { getDocumentLock: () => (guardDocument('LockService.getDocumentLock'), lock) };
  world.globals.Session = {
    getActiveUser: () => ({ getEmail: () => world.user }),
    getEffectiveUser: () => ({ getEmail: () => world.user }),
    getActiveUserLocale: () => world.locale,
  };
  world.globals.ScriptApp = { AuthMode };
  world.globals.Charts = { ChartType: { BAR: 'BAR', HISTOGRAM: 'HISTOGRAM', COLUMN: 'COLUMN', LINE: 'LINE' } };
  world.globals.HtmlService = {
    createHtmlOutputFromFile: (name: string) => {
      const file = path.join(options.distDir, `${name}.html`);
      if (!fs.existsSync(file)) throw new Error(`Exception: No HTML file named ${name} was found.`);
      return new FakeHtmlOutput(fs.readFileSync(file, 'utf8'));
    },
    createHtmlOutput: (html: string) => new FakeHtmlOutput(html),
  };
  world.globals.Logger = { log: () => undefined };
  return world;
}
