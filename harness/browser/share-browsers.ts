import type { BrowserServer } from './driver';
import { serveChromium } from './chromium';
import { BrowserMissingError, checkEngine, type BrowserEngine } from './engines';
import { serveFirefox } from './firefox';
import { serveWebKit } from './webkit';

/** The variable through which a browser started once (by a grader) is shared with spec files. */
export const endpointVariable = (engine: BrowserEngine) => `KATA_BROWSER_ENDPOINT_${engine.toUpperCase()}`;

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
