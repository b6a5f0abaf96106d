import type { Browser } from 'playwright-core';
import { readBrowserConfig } from '../config';
import { loadOnce } from '../jest/load-once';
import type { BrowserServer, DriverBrowser } from './driver';
import { inSpecRealm } from './spec-realm';

// Quiet flags for a container: no sandbox (root), no background traffic, no GPU.
const args = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'];

/** Debian's Chromium through playwright-core, launched here or reached at a shared endpoint. */
// The driver library loads when its engine is first used, so that a spec file
// importing the harness for useMongo() pays nothing for it, and once per process
// (loadOnce): its 7 MB of JavaScript took most of a second to load in each spec file.
const library = async () => loadOnce<typeof import('playwright-core')>('playwright-core').chromium;

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
