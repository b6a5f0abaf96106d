import fs from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { readBrowserConfig } from '../config';
import { loadOnce } from '../jest/load-once';
import { stopProcess } from '../process/stop-process';
import { browserStartLimitMs, fillWithKeyboard, type DriverBrowser } from './driver';
import { copyOfStartedProfile } from './firefox-profile';
import { reusedTabs, type Tab } from './reused-tabs';
import { startPhases } from './slow-calls';
import { inSpecRealm } from './spec-realm';

/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (Firefox's own
 * remote protocol: no geckodriver, no patched build).
 */
export async function openFirefox(): Promise<DriverBrowser> {
  const puppeteer = await library();
  const executablePath = readBrowserConfig().firefox;
  // Puppeteer's own limit (30 s) is one a busy machine can miss: ours is a hang guard.
  const launch = (userDataDir: string) =>
    puppeteer.launch({ browser: 'firefox', executablePath, headless: true, userDataDir, timeout: browserStartLimitMs, extraPrefsFirefox: testBrowserPrefs });
  const phases = startPhases();
  const profile = await phases.phase('profile', copyOfStartedProfile(executablePath, async (dir) => (await launch(dir)).close()));
  const browser: Browser = await phases.phase('launch', launch(profile)).catch((error: unknown) => {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  });
  return {
    engine: 'firefox',
    startPhases: phases.toString(),
    newPage: reusedTabs(async () => {
      const context = await browser.createBrowserContext();
      // A window of its own, not a tab: several pages are open at once (one per test
      // worker), and Firefox throttles animation frames in a tab that is not the selected
      // one of its window. Its input actions wait for animation frames, so in a background
      // tab each fill or click took about 1.5 s; in its own window 60 to 330 ms.
      const page = await context.newPage({ type: 'window' });
      const actions: Tab['page'] = {
        goto: async (url) => void (await page.goto(url)),
        evaluate: async (expression) => inSpecRealm(await page.evaluate(expression)),
        // The page script has found the element, waited for it (visible, enabled or editable)
        // and scrolled it into view, so these act on it at once: puppeteer's element handles
        // would inject its utility script into the page, and its locators wait again for two
        // animation frames of a stable box (60 to 80 ms an action). See Target in driver.ts.
        click: ({ x, y }) => page.mouse.click(x, y),
        // Typed key by key (one protocol command), as a person replacing the text would.
        fill: (target, value) =>
          fillWithKeyboard(target, value, {
            evaluate: (expression) => page.evaluate(expression),
            deleteSelection: () => page.keyboard.press('Backspace'),
            typeText: (text) => page.keyboard.type(text),
          }),
      };
      return {
        page: actions,
        clearCookies: async () => context.deleteCookie(...(await context.cookies())),
        discard: () => context.close(),
      };
    }),
    // The profile is a throwaway copy: nothing to save, so no orderly quit through the
    // protocol (half a second) but SIGTERM, which Firefox answers by exiting at once.
    async close() {
      const firefox = browser.process();
      if (firefox) await stopProcess(firefox);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What a browser for tests does without, on top of the preferences Puppeteer sets:
 * history, the session store's saving and undo lists, the disk cache, prefetching, and
 * the spare content process and new-tab page Firefox prepares ahead. Measured on this
 * project's 2-core machine, three starts each followed by one page: 5.5 to 6.5 CPU-s
 * to start instead of 6.9 to 8.5, and 3.7 to 4.3 CPU-s for that first page instead of
 * 4.2 to 5.3; no change in a page's own cost (about 1 CPU-s a test's page).
 *
 * And one content process for every page: each browser context (one per tab, see
 * reusedTabs) otherwise got a process of its own, started for the tab (four pages of the
 * app: four "Web Content" processes, one with this preference). Measured on this
 * project's 2-core machine, against the timesheet app: opening a window and its first page
 * took 2.4 to 3.1 CPU-s, 0.8 to 1.2 with one process; reused pages cost the same. A grading
 * of the cross-browser kata, three alternating pairs: 22.8 to 23.0 s and 42 to 43 CPU-s,
 * against 25.5 to 25.9 s and 48 CPU-s (Firefox's processes 13 CPU-s against 17). The price:
 * the pages share one main thread, so a page that hangs holds up the others (no page of
 * this project's apps or mutants does), which a user's Firefox keeps apart.
 */
const testBrowserPrefs = {
  'places.history.enabled': false,
  'browser.sessionstore.interval': 3_600_000,
  'browser.sessionstore.max_tabs_undo': 0,
  'browser.sessionstore.max_windows_undo': 0,
  'browser.cache.disk.enable': false,
  'network.prefetch-next': false,
  'network.dns.disablePrefetch': true,
  'dom.ipc.processPrelaunch.enabled': false,
  'browser.newtab.preload': false,
  'browser.tabs.remote.warmup.enabled': false,
  'dom.ipc.processCount': 1,
};

// Loaded when Firefox is first used, and once per process (see chromium.ts): an ES module,
// which Node's require loads since Node 20.19; an older Node imports it through Jest's
// registry (and its transform), in each spec file afresh.
const library = async (): Promise<typeof import('puppeteer-core').default> => {
  try {
    return loadOnce<typeof import('puppeteer-core')>('puppeteer-core').default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    return (await import('puppeteer-core')).default;
  }
};
