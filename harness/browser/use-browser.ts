import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { openChromium, serveChromium } from './chromium';
import type { BrowserServer, DriverBrowser } from './driver';
import { BrowserMissingError, checkEngine, type BrowserEngine } from './engines';
import { openFirefox, serveFirefox } from './firefox';
import { kataPage, type KataPage } from './kata-page';
import { openWebKit, serveWebKit } from './webkit';

export interface BrowserHandle {
  readonly engine: BrowserEngine;
  /** A fresh, isolated page (no cookies, no storage), closed after the current test. */
  openPage(): Promise<KataPage>;
}

/** The variable through which a browser started once (by a grader) is shared with spec files. */
export const endpointVariable = (engine: BrowserEngine) => `KATA_BROWSER_ENDPOINT_${engine.toUpperCase()}`;

const openers: Record<BrowserEngine, (endpoint?: string) => Promise<DriverBrowser>> = {
  chromium: openChromium,
  firefox: openFirefox,
  webkit: openWebKit,
};

/**
 * Opens (or, when `KATA_BROWSER_ENDPOINT_<ENGINE>` is set, connects to) one
 * browser of `engine` for the spec file, and closes it after the file. A missing
 * engine fails the file's tests with the command that installs it.
 *
 * @example
 *   const browser = useBrowser('firefox');
 *   it('signs in', async () => {
 *     const page = await browser.openPage();
 *     await page.goto(url);
 *     await page.fill('Email', 'ada@example.org');
 *     await page.click('button', 'Sign in');
 *     expect(await page.text('status')).toBe('Signed in as ada@example.org');
 *   });
 */
export function useBrowser(engine: BrowserEngine): BrowserHandle {
  let browser: DriverBrowser | undefined;
  let failure: Error | undefined;
  const pages = new Set<KataPage>();

  beforeAll(async () => {
    const endpoint = process.env[endpointVariable(engine)];
    const check = checkEngine(engine);
    if (!endpoint && !check.ready) {
      failure = new BrowserMissingError(check);
      return;
    }
    browser = await openers[engine](endpoint);
  }, 60_000);

  afterEach(async () => {
    await Promise.all([...pages].map((page) => page.close()));
    pages.clear();
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    engine,
    async openPage() {
      // Thrown here rather than in beforeAll so that each test names the missing engine.
      if (failure) throw failure;
      if (!browser) throw new Error(`useBrowser('${engine}') must be called at the top of the spec file, outside any test`);
      const page = kataPage(await browser.newPage());
      pages.add(page);
      return page;
    },
  };
}

const servers: Record<BrowserEngine, () => Promise<BrowserServer>> = {
  chromium: serveChromium,
  firefox: serveFirefox,
  webkit: serveWebKit,
};

/**
 * Starts one browser per engine for many runs of the same tests (a grader running
 * a suite against each mutant): set the returned variables in the environment of
 * those runs, and `useBrowser()` connects instead of launching.
 *
 * @example
 *   const shared = await shareBrowsers(['chromium', 'webkit']);
 *   Object.assign(process.env, shared.env);
 *   … run the suites …
 *   await shared.close();
 */
export async function shareBrowsers(engines: readonly BrowserEngine[]): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const started: BrowserServer[] = [];
  const close = async () => {
    await Promise.all(started.map((server) => server.close().catch(() => {})));
  };
  try {
    for (const engine of engines) {
      const check = checkEngine(engine);
      if (!check.ready) throw new BrowserMissingError(check);
      started.push(await servers[engine]());
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { env: Object.fromEntries(started.map((server) => [endpointVariable(server.engine), server.endpoint])), close };
}
