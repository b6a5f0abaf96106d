import type { Browser } from 'playwright-core';
import { readBrowserConfig } from '../config';
import { loadOnce } from '../jest/load-once';
import type { BrowserServer, DriverBrowser } from './driver';

// Quiet flags for a container: no sandbox (root), no background traffic, no GPU.
const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'];

/** Debian's Chromium through playwright-core, launched here or reached at a shared endpoint. */
// The driver library loads when its engine is first used, so that a spec file
// importing the harness for useMongo() pays nothing for it, and once per process
// (loadOnce): its 7 MB of JavaScript took most of a second to load in each spec file.
const library = async () => loadOnce<typeof import('playwright-core')>('playwright-core').chromium;

/**
 * A value the page returned, rebuilt with the spec file's own Array, Object and Date:
 * playwright-core, loaded outside Jest's registry, builds them in Node's realm,
 * where `toStrictEqual` would see another class.
 */
function inSpecRealm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inSpecRealm);
  // Any realm's Date (instanceof would see only the spec's own).
  if (Object.prototype.toString.call(value) === '[object Date]') return new Date((value as Date).getTime());
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(Object.getPrototypeOf(value) ?? Object) === null) {
    // A plain object (its prototype is some realm's Object.prototype); other classes are returned as they are.
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, inSpecRealm(entry)]));
  }
  return value;
}

export async function openChromium(endpoint?: string): Promise<DriverBrowser> {
  const chromium = await library();
  const browser: Browser = endpoint
    ? await chromium.connect(endpoint)
    : await chromium.launch({ executablePath: readBrowserConfig().chromium, headless: true, args });
  return {
    engine: 'chromium',
    async newPage() {
      const context = await browser.newContext();
      const page = await context.newPage();
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: async (expression) => inSpecRealm(await page.evaluate(expression)),
        click: (selector) => page.click(selector),
        fill: (selector, value) => page.fill(selector, value),
        close: () => context.close(),
      };
    },
    // For a connected browser, close() only disconnects: the server stays up.
    close: () => browser.close(),
  };
}

export async function serveChromium(): Promise<BrowserServer> {
  const chromium = await library();
  const server = await chromium.launchServer({ executablePath: readBrowserConfig().chromium, headless: true, args });
  return { engine: 'chromium', endpoint: server.wsEndpoint(), close: () => server.close() };
}
