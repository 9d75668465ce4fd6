/**
 * Sidebar plumbing: boot data, messages, a typed google.script.run, and DOM building that only
 * ever sets text (textContent), never HTML, so no value from the sheet can become markup.
 */
import type { ServerApi, ServerFunctionName, SidebarBoot } from '../api';
import type { MessageKey } from '../i18n/en';
import { format, type Params } from '../i18n/format';

declare global {
  interface Window {
    __MOOC_BOOT__: SidebarBoot | null;
  }
}

type Runner = {
  withSuccessHandler(fn: (value: unknown) => void): Runner;
  withFailureHandler(fn: (error: Error) => void): Runner;
} & Record<string, (...args: unknown[]) => void>;

declare const google: { script: { run: Runner } };

export const boot: SidebarBoot = window.__MOOC_BOOT__ ?? { sidebar: 'eligibility', lang: 'en', messages: {} };
document.documentElement.lang = boot.lang;

export function t(key: MessageKey, params?: Params): string {
  const template = boot.messages[key];
  return template === undefined ? key : format(template, params);
}

/** google.script.run as a Promise, typed by the server's interface. */
export function call<K extends ServerFunctionName>(
  name: K,
  ...args: Parameters<ServerApi[K]>
): Promise<ReturnType<ServerApi[K]>> {
  return new Promise((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((v) => resolve(v as ReturnType<ServerApi[K]>))
      .withFailureHandler(reject);
    runner[name](...args);
  });
}

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, string | number | boolean | ((ev: Event) => void) | undefined>;

/** Builds an element; strings become text nodes, so they are shown, never parsed. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'className') node.className = String(v);
    else if (k === 'value') (node as HTMLInputElement).value = String(v);
    else if (k === 'checked') (node as HTMLInputElement).checked = !!v;
    else if (k === 'disabled') (node as HTMLButtonElement).disabled = !!v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** A link only for http(s) URLs; anything else (javascript:, data:) is shown as plain text. */
export function safeLink(url: string, text: string): Node {
  return /^https?:\/\//i.test(url)
    ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text)
    : document.createTextNode(text);
}

export const app = (): HTMLElement => document.getElementById('app')!;

/** A file's bytes as base64: google.script.run carries strings, not File objects (the Import and attendance sidebars). */
export function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });
}

export function replace(node: HTMLElement, ...children: Child[]): void {
  node.textContent = '';
  for (const c of children)
    if (c !== null && c !== undefined && c !== false)
      node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

/** The status line: progress, success or error text for the last action. */
export function status(kind: 'working' | 'ok' | 'error', text: string): void {
  const line = document.getElementById('status');
  if (!line) return;
  line.className = `status ${kind === 'error' ? 'error' : kind === 'ok' ? 'success' : 'secondary'}`;
  line.textContent = text;
}

/**
 * Google answers PERMISSION_DENIED (or asks for authorization) when the browser is signed in to
 * several accounts and runs the call as another one than the sidebar's: say so, or nobody guesses.
 */
const MULTI_ACCOUNT = /PERMISSION_DENIED|authori[sz]ation/i;

export function errorText(e: unknown): string {
  const message = (e as Error)?.message ?? String(e);
  const text = t('common.error', { message });
  return MULTI_ACCOUNT.test(message) ? `${text} ${t('common.multiAccountHint')}` : text;
}

/** Runs a server call with the status line showing progress and every button disabled meanwhile. */
export async function busy<T>(work: () => Promise<T>): Promise<T | undefined> {
  const buttons = Array.from(document.querySelectorAll('button'));
  buttons.forEach((b) => (b.disabled = true));
  status('working', t('common.working'));
  try {
    const result = await work();
    status('ok', t('common.done'));
    return result;
  } catch (e) {
    status('error', errorText(e));
    return undefined;
  } finally {
    buttons.forEach((b) => b.isConnected && (b.disabled = false));
  }
}

/**
 * How every sidebar starts: a loading line (and the status line actions report to) until the
 * server's view arrives, then `render`; when the view cannot be loaded, the error in its place.
 */
export function startSidebar<T>(loadView: () => Promise<T>, render: (view: T) => void): void {
  replace(
    app(),
    el('p', { className: 'secondary' }, t('common.loading')),
    el('div', { id: 'status', className: 'status' }),
  );
  loadView().then(render, (e) =>
    replace(app(), el('p', { className: 'error', 'data-testid': 'status' }, errorText(e))),
  );
}

export function userLine(user: string, isAdmin: boolean): HTMLElement {
  return el(
    'div',
    { className: 'secondary block', 'data-testid': 'user' },
    user ? t('common.signedInAs', { email: user }) : t('common.signedInUnknown'),
    isAdmin ? ' ' : null,
    isAdmin ? el('span', { className: 'badge' }, t('common.admin')) : null,
  );
}
