import os from 'node:os';
import { readBrowserConfig } from '../config';
import { BrowserLanes } from './browser-lanes';
import { BrowserMissingError, checkEngine, type BrowserEngine } from './engines';
import { openBrowser } from './open-browser';
import { servePages } from './page-service';
import { endpointVariable } from './remote-browser';
import { SlowCalls, slowBrowserCallMs } from './slow-calls';

/**
 * How many browsers of an engine a grading may open. Chromium and Firefox give every page
 * a tab of its own, so one serves all. WebKitGTK shows one page at a time (one window a
 * session), so its suites take turns, and on a machine with cores to spare a second one
 * opens when a suite waits for the first (browser-lanes.ts). Not on two cores, where a
 * grading keeps both busy throughout: there the second start's CPU (2 to 6 CPU-s a
 * grading, measured on this project's 2-core machine) cost what the shorter turns saved,
 * and the WebKit suites' turns were never the grading's last to end. Safari allows one
 * automation session a machine.
 */
const browsersAtMost = (engine: BrowserEngine): number =>
  engine === 'webkit' && readBrowserConfig().webkit !== 'safari' && os.availableParallelism() >= 4 ? 2 : 1;

/** The shared browsers' endpoints, for the runs' environment. */
export interface SharedBrowsers {
  env: Record<string, string>;
  /** Settles once every browser started (all of them, or those a run asked for) is up; rejects with the first launch error. */
  whenStarted(): Promise<void>;
  /** The browser starts and page calls that took longer than a page wait may (slow-calls.ts), or are still unanswered. */
  slowCalls(): string[];
  close(): Promise<void>;
}

/**
 * Starts one browser per engine for many runs of the same tests (a grader running
 * a suite against each mutant), and serves their pages to those runs from this
 * process (page-service.ts): set the returned variables in the environment of
 * those runs, and `useBrowser()` opens its pages there instead of launching.
 * The runs may start at once: a page waits for its browser to be up, and fails with
 * its launch error if it never is (`whenStarted()` rejects with it too).
 *
 * With `startNow` false, an engine's browser starts only when a run first asks for it
 * (its spec file's `useBrowser()`): for runs that may not open a page at all, such as a
 * learner's tests that are still TODOs (three browsers' starts are about 20 CPU-s).
 *
 * @example
 *   const shared = await shareBrowsers(['chromium', 'webkit']);
 *   Object.assign(process.env, shared.env);
 *   … run the suites …
 *   await shared.whenStarted(); // a browser that failed to start fails the whole run, with its reason
 *   await shared.close();
 */
export async function shareBrowsers(engines: readonly BrowserEngine[], { startNow = true }: { startNow?: boolean } = {}): Promise<SharedBrowsers> {
  // Every engine is checked before any starts: a missing one fails at once, naming its install command.
  for (const engine of engines) {
    const check = checkEngine(engine);
    if (!check.ready) throw new BrowserMissingError(check);
  }
  // The engines start side by side, while the runs start: a Firefox takes seconds to start.
  // Each on an event loop turn of its own, after this one: loading a driver library holds this
  // thread for most of a second, and the caller starts its runs (a grader spawns its Jest child)
  // in this turn. WebKit first: it loads no library, its start is the longest (its session took
  // 5 to 9 s on this project's 2-core machine during a grading), and its one window then serves
  // its suites one test at a time, the longest chain of a cross-browser grading.
  const startOrder = [...engines].sort((a, b) => Number(b === 'webkit') - Number(a === 'webkit'));
  const startTurn = (engine: BrowserEngine) => afterTurns(startOrder.indexOf(engine) + 1);
  const slow = new SlowCalls(slowBrowserCallMs());
  const open = (engine: BrowserEngine) => () => slow.timed(`${engine}: start the browser`, openBrowser[engine](), (browser) => browser.startPhases);
  const lanes = new Map(
    engines.map((engine) => [engine, new BrowserLanes(startNow ? startTurn(engine).then(open(engine)) : open(engine), { open: open(engine), most: browsersAtMost(engine) })]),
  );
  const closeBrowsers = async () => {
    const up = await Promise.allSettled([...lanes.values()].flatMap((lane) => lane.browsers()));
    await Promise.all(up.map((start) => (start.status === 'fulfilled' ? start.value.close().catch(() => {}) : undefined)));
  };
  const service = await servePages(lanes, slow).catch(async (error: unknown) => {
    await closeBrowsers();
    throw error;
  });
  return {
    env: Object.fromEntries(engines.map((engine) => [endpointVariable(engine), `${service.url}/${engine}`])),
    whenStarted: async () => void (await Promise.all([...lanes.values()].flatMap((lane) => lane.browsers().slice(0, 1)))),
    slowCalls: () => slow.report(),
    async close() {
      await service.close();
      await closeBrowsers();
    },
  };
}

/** Settles after `turns` turns of the event loop (setImmediate's), letting I/O in between. */
async function afterTurns(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
