import { describe } from '@jest/globals';
import { browserEngines, enginesToRun, type BrowserEngine } from './engines';
import { useBrowser, type BrowserHandle } from './use-browser';

/**
 * Runs the same tests once per browser engine: `body` is called inside a
 * `describe(<engine>)` with that engine's browser, so one test file runs
 * unchanged in Chromium (Blink), Firefox ESR (Gecko) and WebKit, and a failure
 * names the engine it happened in ("webkit › the month summary › …").
 * Each engine's browser opens before its block and closes after it, so only
 * one engine is open at a time; a missing engine fails its block's tests with
 * the command that installs it.
 *
 * @example
 *   forEachBrowser((browser) => {
 *     it('books a week', async () => {
 *       const page = await browser.openPage();
 *       await page.goto(app.url);
 *       await page.fill('Week', '2026-W01');
 *       …
 *     });
 *   });
 */
export function forEachBrowser(body: (browser: BrowserHandle) => void, engines: readonly BrowserEngine[] = browserEngines): void {
  // A grader narrows a mutant's run to the engines its bug lives in: the other blocks are skipped, with their browsers.
  const running = enginesToRun();
  for (const engine of engines) {
    (running.includes(engine) ? describe : describe.skip)(engine, () => body(useBrowser(engine)));
  }
}
