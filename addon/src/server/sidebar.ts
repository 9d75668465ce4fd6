/**
 * Sidebar pages: the built HTML (addon/dist/<name>.html) plus a boot object with the language and
 * its messages. The boot JSON goes inside a <script>, so `<`, U+2028 and U+2029 are escaped: no
 * value can close the script element or break the JavaScript.
 */
import type { SidebarBoot } from '../api';

export const BOOT_PLACEHOLDER = '/*MOOC_DESK_BOOT*/null';

export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function renderSidebar(html: string, boot: SidebarBoot): string {
  if (!html.includes(BOOT_PLACEHOLDER))
    throw new Error(`sidebar ${boot.sidebar}: boot placeholder missing (was the HTML built by addon/build.mjs?)`);
  return html.split(BOOT_PLACEHOLDER).join(jsonForScript(boot));
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
