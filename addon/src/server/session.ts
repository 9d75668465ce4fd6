/**
 * What every server function does around its rule: read the sheet, pick the user's language, find
 * who is acting, hold the document lock for a write, and turn failures into a message.
 */
import { isAdmin } from '../../../shared/src/people';
import { SETTINGS_TAB } from '../../../shared/src/layout';
import { readSettings, type Settings } from '../../../shared/src/settings';
import type { Snapshot } from '../../../shared/src/workbook';
import { translator, type Translator } from '../i18n';
import { SheetChangedError, WorkbookBusyError } from './apps-script-workbook';
import type { ServerContext } from './context';
import { languageOf } from './lang';
import { UserError, userMessage } from './user-messages';

export interface Session {
  readonly ctx: ServerContext;
  read(tabs: readonly string[]): Snapshot;
  /** The active user's e-mail; '' when Apps Script does not reveal it. */
  who(): string;
  /** The user's language for this snapshot (Settings `Language`, else the user's locale). */
  translatorFor(snapshot: Snapshot): Translator;
  /** A write under the document lock; a busy or changed sheet comes back in the user's language. */
  exclusive<T>(fn: () => T): T;
  /** Settings, or a message the user can act on (a bad Settings row names itself). */
  settingsOf(snapshot: Snapshot, tr: Translator): Settings;
  /** Runs `fn`; failures become a message in the user's language. */
  guarded<T>(tr: Translator, fn: () => T): T;
  /** The acting admin's e-mail, or a message saying who may do this. */
  requireAdmin(snapshot: Snapshot, tr: Translator): string;
  /** The acting user's e-mail, or a message asking them to sign in. */
  requireUser(tr: Translator): string;
}

export function createSession(ctx: ServerContext): Session {
  const read = (tabs: readonly string[]): Snapshot => ctx.workbook.read(tabs);
  const who = () => ctx.userEmail();
  const translatorFor = (snapshot: Snapshot): Translator =>
    translator(languageOf(snapshot[SETTINGS_TAB.name], ctx.userLocale()));
  const settingsOf = (snapshot: Snapshot, tr: Translator): Settings =>
    guarded(tr, () => readSettings(snapshot[SETTINGS_TAB.name]));
  function guarded<T>(tr: Translator, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw e instanceof UserError ? e : new UserError(userMessage(e, tr));
    }
  }
  const requireUser = (tr: Translator): string => {
    const user = who();
    if (!user) throw new UserError(tr('msg.noUser'));
    return user;
  };
  return {
    ctx,
    read,
    who,
    translatorFor,
    settingsOf,
    guarded,
    requireUser,
    exclusive<T>(fn: () => T): T {
      try {
        return ctx.exclusive(fn);
      } catch (e) {
        if (e instanceof SheetChangedError || e instanceof WorkbookBusyError)
          throw new UserError(userMessage(e, translatorFor(read([SETTINGS_TAB.name]))));
        throw e;
      }
    },
    requireAdmin(snapshot, tr) {
      const user = requireUser(tr);
      if (!isAdmin(settingsOf(snapshot, tr), user)) throw new UserError(tr('msg.adminsOnly'));
      return user;
    },
  };
}
