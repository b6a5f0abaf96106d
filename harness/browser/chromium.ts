import type { Browser } from 'playwright-core';
import { readBrowserConfig } from '../config';
import { loadOnce } from '../jest/load-once';
import { browserStartLimitMs, fillWithKeyboard, type DriverBrowser } from './driver';
import { reusedTabs } from './reused-tabs';
import { inSpecRealm } from './spec-realm';

// Quiet flags for a container: no sandbox (root), no background traffic, no GPU.
const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'];

// The driver library loads when its engine is first used, so that a spec file
// importing the harness for useMongo() pays nothing for it, and once per process
// (loadOnce): its 7 MB of JavaScript took most of a second to load in each spec file.
const library = async () => loadOnce<typeof import('playwright-core')>('playwright-core').chromium;

/** Debian's Chromium (its headless shell when installed) through playwright-core. */
export async function openChromium(): Promise<DriverBrowser> {
  const browser: Browser = await (await library()).launch({ executablePath: readBrowserConfig().chromium, headless: true, args, timeout: browserStartLimitMs });
  return {
    engine: 'chromium',
    newPage: reusedTabs(async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      return {
        page: {
          goto: async (url) => void (await page.goto(url)),
          evaluate: async (expression) => inSpecRealm(await page.evaluate(expression)),
          // The page script has found the element, waited for it and scrolled it into view:
          // input events go straight to it (see Target in driver.ts for why not page.click()).
          click: ({ x, y }) => page.mouse.click(x, y),
          // As Playwright's fill() does: the text inserted in one input event, or the selection deleted.
          fill: (target, value) =>
            fillWithKeyboard(target, value, {
              evaluate: (expression) => page.evaluate(expression),
              deleteSelection: () => page.keyboard.press('Delete'),
              typeText: (text) => page.keyboard.insertText(text),
            }),
        },
        clearCookies: () => context.clearCookies(),
        discard: () => context.close(),
      };
    }),
    close: () => browser.close(),
  };
}
