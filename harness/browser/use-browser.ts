import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { browserStartLimitMs, type DriverBrowser } from './driver';
import { BrowserMissingError, checkEngine, type BrowserEngine } from './engines';
import { kataPage, type KataPage } from './kata-page';
import { endpointVariable, openRemoteBrowser } from './remote-browser';

export interface BrowserHandle {
  readonly engine: BrowserEngine;
  /** A fresh, isolated page (no cookies, no storage), closed after the current test. */
  openPage(): Promise<KataPage>;
}

/**
 * Opens one browser of `engine` for the spec file, and closes it after the file
 * (when `KATA_BROWSER_ENDPOINT_<ENGINE>` is set, a grader's shared browser serves
 * the file's pages instead: share-browsers.ts). A missing
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
    if (endpoint) {
      const remote = openRemoteBrowser(engine, endpoint);
      // A grading's browsers start while its suites do: the wait for one is this hook's, not the first test's.
      await remote.whenUp();
      browser = remote;
    } else {
      // Loaded only here: a grading's suites, whose pages the grader's service serves, never need the engines' modules.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { openBrowser } = require('./open-browser') as typeof import('./open-browser');
      browser = await openBrowser[engine]();
    }
    // Above the start's own limit (browserStartLimitMs), which fails first with its reason;
    // a WebKit start, which has none of its own, stops here.
  }, browserStartLimitMs + 30_000);

  afterEach(async () => {
    // One after another: WebKit's pages share one WebDriver session, which runs one command at a time.
    for (const page of pages) await page.close();
    pages.clear();
  }, 60_000);

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
