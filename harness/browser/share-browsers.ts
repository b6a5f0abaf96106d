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
  // Every engine is checked before any starts: a missing one fails at once, naming its install command.
  for (const engine of engines) {
    const check = checkEngine(engine);
    if (!check.ready) throw new BrowserMissingError(check);
  }
  // The engines start side by side: a Firefox takes seconds to start on a busy machine, and nothing waits on another.
  const starts = await Promise.allSettled(engines.map((engine) => servers[engine]()));
  const started = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const close = async () => {
    await Promise.all(started.map((server) => server.close().catch(() => {})));
  };
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { env: Object.fromEntries(started.map((server) => [endpointVariable(server.engine), server.endpoint])), close };
}
