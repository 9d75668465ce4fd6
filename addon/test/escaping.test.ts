/** Values from the sheet can never become markup or script in a sidebar. */
import { BOOT_PLACEHOLDER, escapeHtml, jsonForScript, renderSidebar } from '../src/server/sidebar';
import { XSS_NAME } from '../dev/seed';
import vm from 'node:vm';

describe('escaping', () => {
  test('escapeHtml turns every markup character into an entity', () => {
    expect(escapeHtml(XSS_NAME)).toBe('&#60;img src=x onerror=alert(1)&#62;');
    expect(escapeHtml(`"'&\``)).toBe('&#34;&#39;&#38;&#96;');
    expect(escapeHtml(null)).toBe('');
  });

  test('boot JSON inside <script> cannot close the element or break the JavaScript', () => {
    const nasty = { name: '</script><script>alert(1)</script>', sep: '\u2028\u2029', amp: '&lt;' };
    const json = jsonForScript(nasty);
    expect(json).not.toMatch(/<\/script/i);
    expect(json).not.toMatch(/[<>\u2028\u2029]/);
    // And it is still the same data once parsed as JavaScript.
    expect(vm.runInNewContext(`(${json})`)).toEqual(nasty);
  });

  test('renderSidebar fills the placeholder and refuses HTML that was not built with one', () => {
    const html = `<script>window.__MOOC_BOOT__ = ${BOOT_PLACEHOLDER};</script>`;
    const out = renderSidebar(html, { sidebar: 'approval', lang: 'kk', messages: { x: XSS_NAME } });
    expect(out).toContain('"lang":"kk"');
    expect(out).not.toContain('<img');
    expect(() => renderSidebar('<p></p>', { sidebar: 'approval', lang: 'en', messages: {} })).toThrow(/placeholder/);
  });
});
