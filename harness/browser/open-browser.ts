import { openChromium } from './chromium';
import type { DriverBrowser } from './driver';
import type { BrowserEngine } from './engines';
import { openFirefox } from './firefox';
import { openWebKit } from './webkit';

/**
 * Starts one browser of an engine, driven from this process. A module of its own so that
 * a spec file whose pages a grader's page service serves (remote-browser.ts) never loads
 * the engines' modules: a grading loads its test file once per suite.
 */
export const openBrowser: Record<BrowserEngine, () => Promise<DriverBrowser>> = {
  chromium: openChromium,
  firefox: openFirefox,
  webkit: openWebKit,
};
