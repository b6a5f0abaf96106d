import fs from 'node:fs';
import path from 'node:path';
import { chromiumHeadlessShell, readBrowserConfig } from '../config';
import { suiteSettings } from '../jest/suite-settings.cjs';
import { onPath } from '../setup/on-path';

/** The three browser engines the harness drives: Blink, Gecko and WebKit. */
export const browserEngines = ['chromium', 'firefox', 'webkit'] as const;
export type BrowserEngine = (typeof browserEngines)[number];

/**
 * Narrows forEachBrowser() to some engines (`webkit` or `chromium,firefox`): a grader
 * sets it for a mutant whose bug lives in some engines only (harness/grader/mutants.ts).
 */
export const browserEnginesVariable = 'KATA_BROWSER_ENGINES';

/** The engines forEachBrowser() runs: every engine unless KATA_BROWSER_ENGINES names some. */
export function enginesToRun(): readonly string[] {
  // A grader's suite first (suite-settings.cjs), then the user's own choice.
  const fromSuite = suiteSettings().browserEngines;
  if (fromSuite) return fromSuite;
  const named = process.env[browserEnginesVariable];
  return named ? named.split(',').map((name) => name.trim()) : browserEngines;
}

/** What one engine needs on this machine, found or not. */
export interface EngineCheck {
  engine: BrowserEngine;
  /** e.g. "Firefox ESR (Gecko)". */
  label: string;
  ready: boolean;
  /** The executables found (or the first one missing), for the setup summary. */
  detail: string;
  /** The Debian packages that provide it, installed by `npm run setup` when it can. */
  aptPackages: string[];
  /**
   * Debian packages of a lighter build of an engine that works without them, which
   * `npm run setup` installs too when it can: Chromium's headless shell, when only
   * the desktop `chromium` is there (and KATA_CHROMIUM names no browser of its own).
   */
  lighterBuild: string[];
  /** What a person runs to get it. */
  install: string;
}

/** Thrown by `useBrowser()` when an engine is missing: the spec fails, naming the install command. */
export class BrowserMissingError extends Error {
  readonly code = 'KATA_BROWSER_MISSING';
  constructor(readonly check: EngineCheck) {
    super(`${check.label} is not available: ${check.detail}. Install it: ${check.install}, then run \`npm run setup\`.`);
    this.name = 'BrowserMissingError';
  }
}

/** MiniBrowser ships inside libwebkit2gtk-4.1-0, under the architecture's lib folder. */
export function findMiniBrowser(): string | undefined {
  const lib = '/usr/lib';
  const candidates = fs.existsSync(lib)
    ? fs.readdirSync(lib).map((dir) => path.join(lib, dir, 'webkit2gtk-4.1', 'MiniBrowser'))
    : [];
  return [...candidates, path.join(lib, 'webkit2gtk-4.1', 'MiniBrowser')].find((file) => fs.existsSync(file));
}

const apt = (packages: string[]) => `\`sudo apt-get install -y --no-install-recommends ${packages.join(' ')}\``;

/**
 * Looks for what `engine` needs, without starting anything.
 *
 * @example
 *   const check = checkEngine('webkit');
 *   if (!check.ready) console.log(check.install);
 */
export function checkEngine(engine: BrowserEngine): EngineCheck {
  const config = readBrowserConfig();
  if (engine === 'chromium' || engine === 'firefox') {
    const binary = config[engine];
    const packages = [engine === 'chromium' ? 'chromium-headless-shell' : 'firefox-esr'];
    const ready = fs.existsSync(binary);
    // The default binary is the shell whenever it is installed (readBrowserConfig): any other means it is not.
    const lighter = engine === 'chromium' && !process.env.KATA_CHROMIUM && binary !== chromiumHeadlessShell;
    return {
      engine,
      label: engine === 'chromium' ? 'Chromium (Blink)' : 'Firefox ESR (Gecko)',
      ready,
      detail: ready ? binary : `no browser at ${binary}`,
      aptPackages: packages,
      lighterBuild: lighter ? packages : [],
      install: apt(packages),
    };
  }
  if (config.webkit === 'safari') {
    const driver = onPath('safaridriver');
    return {
      engine,
      label: 'Safari (WebKit, through safaridriver)',
      ready: Boolean(driver),
      detail: driver ?? 'no safaridriver on PATH (macOS only)',
      aptPackages: [],
      lighterBuild: [],
      install: 'run `safaridriver --enable` once and tick Develop → Allow Remote Automation in Safari',
    };
  }
  const packages = ['webkit2gtk-driver', 'xvfb'];
  const driver = onPath('WebKitWebDriver');
  const miniBrowser = findMiniBrowser();
  const xvfb = onPath('Xvfb');
  const missing = [!driver && 'WebKitWebDriver', !miniBrowser && 'MiniBrowser', !xvfb && 'Xvfb'].filter(Boolean);
  return {
    engine,
    label: 'WebKitGTK (WebKit)',
    ready: missing.length === 0,
    detail: missing.length === 0 ? `${driver} + ${miniBrowser} under ${xvfb}` : `${missing.join(', ')} not found`,
    aptPackages: packages,
    lighterBuild: [],
    install: apt(packages),
  };
}
