import { afterEach, describe, expect, it } from '@jest/globals';
import type { DriverBrowser, DriverPage } from './driver';
import { BrowserLanes } from './browser-lanes';
import type { BrowserEngine } from './engines';
import { servePages, type PageService } from './page-service';
import { openRemoteBrowser } from './remote-browser';
import { SlowCalls } from './slow-calls';

/** A browser that records what its pages were asked, without a browser behind it. */
function fakeBrowser(engine: BrowserEngine, onePageAtATime = false) {
  const log: string[] = [];
  let pages = 0;
  let hang!: () => void;
  /** Resolves once a page was asked to evaluate 'hang', which never answers. */
  const hung = new Promise<void>((resolve) => (hang = resolve));
  const browser: DriverBrowser = {
    engine,
    onePageAtATime,
    async newPage(): Promise<DriverPage> {
      const name = `page ${++pages}`;
      log.push(`${name} opened`);
      return {
        goto: async (url) => void log.push(`${name} goto ${url}`),
        evaluate: async (expression) => {
          if (expression === 'hang') {
            hang();
            return new Promise(() => {});
          }
          if (expression === 'fail') throw new Error('waited 2500 ms for role=button name="Book" to be visible: the page shows heading "Timesheet"');
          return expression === 'list' ? ['a', { b: 1 }] : expression;
        },
        click: async ({ selector, x, y }) => void log.push(`${name} click ${selector} at ${x},${y}`),
        fill: async ({ selector, type }, value) => void log.push(`${name} fill ${selector} (${type}) ${value}`),
        close: async () => void log.push(`${name} closed`),
      };
    },
    close: async () => {},
  };
  return { browser, log, hung };
}

let service: PageService | undefined;
afterEach(() => service?.close());

const serve = async (...browsers: DriverBrowser[]) => {
  service = await servePages(new Map(browsers.map((browser) => [browser.engine, new BrowserLanes(Promise.resolve(browser))])));
  return service;
};

/** Settles `promise` as far as the event loop lets it now: true if it has resolved. */
async function hasResolved(promise: Promise<unknown>): Promise<boolean> {
  let resolved = false;
  void promise.then(() => (resolved = true));
  // A round trip to the service and back, for the answer it would give now.
  await fetch(`${service!.url}/none`, { method: 'POST' });
  return resolved;
}

describe('servePages() and openRemoteBrowser()', () => {
  it("carries every page call to the served browser, and the page's values back as the spec's own", async () => {
    const { browser, log } = fakeBrowser('chromium');
    const { url } = await serve(browser);
    const remote = openRemoteBrowser('chromium', `${url}/chromium`);

    const page = await remote.newPage();
    await page.goto('http://127.0.0.1:4000/');
    await page.fill({ selector: '[data-kata-target="k1"]', x: 50, y: 20, type: 'week' }, '2026-W01');
    await page.click({ selector: '[data-kata-target="k2"]', x: 40.5, y: 80, type: null });
    const value = await page.evaluate('list');
    await page.close();

    expect(log).toEqual([
      'page 1 opened',
      'page 1 goto http://127.0.0.1:4000/',
      'page 1 fill [data-kata-target="k1"] (week) 2026-W01',
      'page 1 click [data-kata-target="k2"] at 40.5,80',
      'page 1 closed',
    ]);
    expect(value).toStrictEqual(['a', { b: 1 }]);
  });

  it("throws the driver's own message where the test called", async () => {
    const { url } = await serve(fakeBrowser('firefox').browser);
    const page = await openRemoteBrowser('firefox', `${url}/firefox`).newPage();

    await expect(page.evaluate('fail')).rejects.toThrow(
      new Error('waited 2500 ms for role=button name="Book" to be visible: the page shows heading "Timesheet"'),
    );
  });

  it('serves pages of one client at a time for an engine that shows one page at a time', async () => {
    const { browser, log } = fakeBrowser('webkit', true);
    const { url } = await serve(browser);
    const first = openRemoteBrowser('webkit', `${url}/webkit`);
    const second = openRemoteBrowser('webkit', `${url}/webkit`);

    const firstPage = await first.newPage();
    const firstAgain = await first.newPage(); // the same client: its test's second page
    const waiting = second.newPage();
    expect(await hasResolved(waiting)).toBe(false);

    await firstPage.close();
    expect(await hasResolved(waiting)).toBe(false);
    await firstAgain.close();

    await (await waiting).close();
    expect(log).toEqual(['page 1 opened', 'page 2 opened', 'page 1 closed', 'page 2 closed', 'page 3 opened', 'page 3 closed']);
  });

  it('opens pages of other clients side by side in an engine with a tab each', async () => {
    const { url } = await serve(fakeBrowser('chromium').browser);

    const pages = await Promise.all([1, 2, 3].map(() => openRemoteBrowser('chromium', `${url}/chromium`).newPage()));

    expect(pages).toHaveLength(3);
  });

  it("closes a client's pages left open when it closes, and passes the engine's turn on", async () => {
    const { browser, log } = fakeBrowser('webkit', true);
    const { url } = await serve(browser);
    const first = openRemoteBrowser('webkit', `${url}/webkit`);
    await first.newPage();
    const waiting = openRemoteBrowser('webkit', `${url}/webkit`).newPage();

    await first.close();

    await waiting;
    expect(log).toEqual(['page 1 opened', 'page 1 closed', 'page 2 opened']);
  });

  it('tells a client when the browser it waits for is up', async () => {
    let launched!: (browser: DriverBrowser) => void;
    const launch = new Promise<DriverBrowser>((resolve) => (launched = resolve));
    service = await servePages(new Map([['firefox', new BrowserLanes(launch)]]));
    const up = openRemoteBrowser('firefox', `${service.url}/firefox`).whenUp();

    expect(await hasResolved(up)).toBe(false);
    launched(fakeBrowser('firefox').browser);
    await up;
  });

  it("fails a page of a browser that could not start, and the wait for it, with the launch error's message", async () => {
    const launch = Promise.reject(new Error('Failed to launch the browser process: no display'));
    launch.catch(() => {});
    service = await servePages(new Map([['firefox', new BrowserLanes(launch)]]));

    await expect(openRemoteBrowser('firefox', `${service.url}/firefox`).newPage()).rejects.toThrow('Failed to launch the browser process: no display');
    await expect(openRemoteBrowser('firefox', `${service.url}/firefox`).whenUp()).rejects.toThrow('Failed to launch the browser process: no display');
  });

  it('times every call, for a grading to say which were slow and which never answered', async () => {
    const { browser, hung } = fakeBrowser('firefox');
    const everyCall = new SlowCalls(0);
    service = await servePages(new Map([['firefox', new BrowserLanes(Promise.resolve(browser))]]), everyCall);
    const page = await openRemoteBrowser('firefox', `${service.url}/firefox`).newPage();
    await page.goto('http://127.0.0.1:4000/');
    void page.evaluate('hang').catch(() => {});
    await hung;
    await page.close();

    const [unanswered, ...answered] = everyCall.report();
    expect(unanswered).toMatch(/^firefox: evaluate: no answer after \d+\.\d s$/);
    expect(answered.map((call) => call.replace(/ took \d+\.\d s$/, '')).sort()).toEqual(['firefox: close a page', 'firefox: goto', 'firefox: open a page', 'firefox: waiting for its browser']);
  });

  it('answers a request it cannot serve with a JSON error', async () => {
    const { url } = await serve(fakeBrowser('chromium').browser);

    const unknownEngine = await fetch(`${url}/webkit/pages`, { method: 'POST', body: JSON.stringify({ client: 'c1' }) });
    const notJson = await fetch(`${url}/chromium/pages`, { method: 'POST', body: '{' });
    const noPage = await fetch(`${url}/pages/p9/goto`, { method: 'POST', body: JSON.stringify({ url: 'about:blank' }) });
    const pageId = (await (await fetch(`${url}/chromium/pages`, { method: 'POST', body: JSON.stringify({ client: 'c2' }) })).json()) as { page: string };
    const notAnAction = await fetch(`${url}/pages/${pageId.page}/constructor`, { method: 'POST', body: '{}' });

    expect([unknownEngine.status, await unknownEngine.json()]).toEqual([404, { error: 'no webkit browser is served here' }]);
    expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'the body must be a JSON object' }]);
    expect([noPage.status, await noPage.json()]).toEqual([404, { error: 'no open page p9' }]);
    expect([notAnAction.status, await notAnAction.json()]).toEqual([404, { error: 'no page action constructor' }]);
  });
});
