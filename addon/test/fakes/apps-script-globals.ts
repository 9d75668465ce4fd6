/**
 * The Apps Script globals the built Code.js uses (SpreadsheetApp, HtmlService, Session, ...), over
 * a FakeSpreadsheet. AuthMode.NONE behaves like the real thing: the document is off limits, so
 * any attempt to open it throws and is recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipBuffer } from '../../dev/node-files';
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
  world.globals.Utilities = fakeUtilities();
  return world;
}

/** Java bytes, as Apps Script hands them to JavaScript: numbers from -128 to 127. */
const signed = (bytes: Uint8Array): number[] => Array.from(bytes, (b) => (b > 127 ? b - 256 : b));
const unsignedBuffer = (bytes: readonly number[]): Buffer => Buffer.from(bytes.map((b) => b & 0xff));

/** The blob slice the import uses (Utilities.newBlob, Blob.getBytes/getDataAsString/getName). */
class FakeBlob {
  constructor(
    private readonly bytes: Buffer,
    private readonly name: string | null,
  ) {}
  getBytes(): number[] {
    return signed(this.bytes);
  }
  getName(): string | null {
    return this.name;
  }
  /** Like Java's decoders: "UTF-16LE"/"UTF-16BE" keep a byte-order mark, "UTF-8" keeps one too. */
  getDataAsString(charset = 'UTF-8'): string {
    const label = charset.toLowerCase().replace(/^utf-8$/, 'utf-8');
    return new TextDecoder(label, { ignoreBOM: true }).decode(this.bytes);
  }
}

/** Utilities: base64, SHA-256, blobs and unzip, no OAuth scope in the real service either. */
export function fakeUtilities() {
  return {
    DigestAlgorithm: { SHA_256: 'SHA_256' },
    base64Decode: (text: string) => signed(Buffer.from(text, 'base64')),
    newBlob: (bytes: number[], _type?: string, name?: string) => new FakeBlob(unsignedBuffer(bytes), name ?? null),
    computeDigest: (_algorithm: string, bytes: number[]) =>
      signed(crypto.createHash('sha256').update(unsignedBuffer(bytes)).digest()),
    unzip: (blob: FakeBlob) => unzipBuffer(unsignedBuffer(blob.getBytes())).map((e) => new FakeBlob(e.bytes, e.name)),
  };
}
