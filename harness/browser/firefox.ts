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
  const endpoint = browser.wsEndpoint();
  const firefox = browser.process();
  // Firefox allows one WebDriver BiDi session, and the launch holds it: end it so that
  // the runs can connect (one at a time), and stop the process itself at the end
  // (puppeteer removes its temporary profile when the process exits).
  await browser.disconnect();
  return {
    engine: 'firefox',
    endpoint,
    async close() {
      if (!firefox || firefox.exitCode !== null || firefox.signalCode !== null) return;
      const exited = new Promise((resolve) => firefox.once('exit', resolve));
      firefox.kill('SIGTERM');
      await exited;
    },
  };
}
