import type { Browser } from 'puppeteer-core';
import { readBrowserConfig } from '../config';
import { acquireLock } from './lock';
import { setValueScript, setValueTypes, type BrowserServer, type DriverBrowser } from './driver';

/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Firefox's own
 * remote protocol: no geckodriver, no patched build).
 */
export async function openFirefox(endpoint?: string): Promise<DriverBrowser> {
  // Firefox allows one WebDriver BiDi session: spec files sharing it take turns.
  const release = endpoint ? await acquireLock('firefox-session') : () => {};
  const browser: Browser = endpoint
    ? await (await library()).connect({ browserWSEndpoint: endpoint, protocol: 'webDriverBiDi' })
    : await launch();
  return {
    engine: 'firefox',
    async newPage() {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: (expression) => page.evaluate(expression),
        click: (selector) => page.locator(selector).click(),
        async fill(selector, value) {
          const type = await page.$eval(selector, (el) => (el as unknown as { type: string }).type);
          if (setValueTypes.has(type)) {
            await page.evaluate(setValueScript(selector, value));
            return;
          }
          await page.locator(selector).fill(value);
        },
        close: () => context.close(),
      };
    },
    async close() {
      await (endpoint ? browser.disconnect() : browser.close());
      release();
    },
  };
}

// Loaded when Firefox is first used (see chromium.ts).
const library = async () => (await import('puppeteer-core')).default;

async function launch(): Promise<Browser> {
  return (await library()).launch({ browser: 'firefox', executablePath: readBrowserConfig().firefox, headless: true });
}

export async function serveFirefox(): Promise<BrowserServer> {
  const browser = await launch();
  return { engine: 'firefox', endpoint: browser.wsEndpoint(), close: () => browser.close() };
}
