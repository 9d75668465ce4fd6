/**
 * Chromium for the sidebar tests and the sidebar benchmark: Debian's /usr/bin/chromium through
 * playwright-core, no network but the harness, and every page error or dialog recorded (a sidebar
 * must never need window.confirm/alert: Apps Script sidebars get no dialogs either).
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = (): boolean => fs.existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Opens a sidebar of the harness at `url` as `user` in `lang`, 300 px wide like Sheets' sidebar. */
export async function openSidebar(
  browser: Browser,
  url: string,
  sidebar: string,
  lang: string,
  user: string,
  height = 1100,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 300, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // No network: Google's stylesheet must not be needed (the inline fallback renders the sidebar).
  await page.route('**/*', (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
  await page.goto(`${url}/sidebar/${sidebar}?lang=${lang}&user=${encodeURIComponent(user)}`);
  return { page, errors };
}
