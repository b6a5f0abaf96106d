import type { Browser } from 'puppeteer-core';
import { readBrowserConfig } from '../config';
import { setValueScript, setValueTypes, type DriverBrowser } from './driver';

/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Firefox's own
 * remote protocol: no geckodriver, no patched build).
 */
export async function openFirefox(): Promise<DriverBrowser> {
  const browser: Browser = await launch();
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
    close: () => browser.close(),
  };
}

// Loaded when Firefox is first used (see chromium.ts).
const library = async () => (await import('puppeteer-core')).default;

async function launch(): Promise<Browser> {
  return (await library()).launch({ browser: 'firefox', executablePath: readBrowserConfig().firefox, headless: true });
}
