import { browserEngines, checkEngine, type EngineCheck } from '../browser/engines';
import { readBrowserConfig } from '../config';
import { aptGetInstall } from './apt';
import { onPath } from './on-path';

/** Where the browser specs expect Chromium (`KATA_CHROMIUM`, default Debian's headless shell, else its `chromium`). */
export const chromiumPath = readBrowserConfig().chromium;

/** What setup found for each engine, as recorded in .kata/environment.json. */
export type BrowserReport = Record<(typeof browserEngines)[number], { ready: boolean; detail: string; install: string }>;

/**
 * Makes sure the three browser engines the browser specs drive are there:
 * Chromium (its headless shell, also installed beside a desktop `chromium`: lighter
 * per page), Firefox ESR, and WebKitGTK's WebKitWebDriver + MiniBrowser under
 * Xvfb (all from apt; no test tool's own browser download works offline).
 * What is missing is installed in one `apt-get install` when root with apt
 * (with one `apt-get update` and a retry if that fails); otherwise each missing
 * engine is reported with its install command. Never throws.
 *
 * @example
 *   const engines = provisionBrowsers((line) => console.log(line));
 */
export function provisionBrowsers(say: (line: string) => void): BrowserReport {
  const found = browserEngines.map(checkEngine);
  const packages = [...new Set(found.flatMap((check) => (check.ready ? check.lighterBuild : check.aptPackages)))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (packages.length > 0 && isRoot && onPath('apt-get')) {
    say(`installing the browser engines for the browser specs (apt-get install ${packages.join(' ')}; a few minutes)…`);
    const started = performance.now();
    aptGetInstall(packages, say);
    say(`apt-get install took ${Math.round((performance.now() - started) / 1000)} s`);
  }
  const checks: EngineCheck[] = browserEngines.map(checkEngine);
  for (const check of checks.filter((c) => !c.ready)) {
    say(`${check.label}: ${check.detail}. Install it: ${check.install}, then run \`npm run setup\`. Its browser specs fail until then.`);
  }
  return Object.fromEntries(checks.map((c) => [c.engine, { ready: c.ready, detail: c.detail, install: c.install }])) as BrowserReport;
}
