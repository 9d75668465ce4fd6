/**
 * One Chromium and one add-on build for a sidebar test file. Without /usr/bin/chromium a suite is
 * skipped, except under CI=true, where it fails: CI must install Debian's chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, haveChromium, launchChromium } from '../dev/chromium';
import { buildToTemp, REPO } from './build-once';

export const SCREENSHOTS = path.join(REPO, 'test-results');
const ci = !!process.env.CI && process.env.CI !== 'false';

/** `describe`, or `describe.skip` (with a loud warning) where Chromium is missing outside CI. */
export function chromiumDescribe(): jest.Describe {
  if (!haveChromium() && !ci) {
    console.warn(
      `\n!! sidebar browser tests SKIPPED: ${CHROMIUM} not found. Install it: apt-get install -y chromium\n`,
    );
    return describe.skip;
  }
  return describe;
}

/** Call inside the suite: the browser and the built add-on, ready in beforeAll, cleaned in afterAll. */
export function useChromium(): { readonly dist: string; readonly browser: Browser } {
  const held = { dist: '', browser: undefined as unknown as Browser };
  beforeAll(async () => {
    if (!haveChromium())
      throw new Error(`CI=true but ${CHROMIUM} is missing: add "apt-get install -y chromium" to .ci/run`);
    held.dist = buildToTemp();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    held.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await held.browser?.close();
    if (held.dist) fs.rmSync(held.dist, { recursive: true, force: true });
  });
  return held;
}
