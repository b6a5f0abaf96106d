import fs from 'node:fs';
import path from 'node:path';
import { suiteSettings } from './jest/suite-settings.cjs';

/**
 * The project's one config resolver: `KATA_*` environment variables → defaults.
 * Everything that can be tuned is read here and nowhere else, so a reader finds
 * every knob in one file.
 */

/** Root of the repository (where package.json lives). */
export const projectRoot = path.resolve(__dirname, '..');

/** Machine-local state written by `npm run setup` and the test runs (git-ignored). */
export const stateDir = path.join(projectRoot, '.kata');

export type KataTarget = 'katas' | 'solutions';
export type MongoEngineChoice = 'external' | 'mongod' | 'embedded';

export interface KataConfig {
  /** Which tree the specs run against (`KATA_TARGET`). */
  target: KataTarget;
  /** Forced MongoDB engine (`KATA_MONGO=embedded|mongod`), or undefined to decide. */
  mongoOverride: 'embedded' | 'mongod' | undefined;
  /** A MongoDB the learner runs themselves (`MONGO_URL`); wins over everything. */
  mongoUrl: string | undefined;
  /** Explicit redis-server binary (`REDISMS_SYSTEM_BINARY`, redis-memory-server's own name). */
  redisBinary: string | undefined;
  /** Seed for the data factories (`KATA_SEED`), so a failing run can be repeated. */
  seed: number;
  /** Whether output may use colour (`NO_COLOR`, `FORCE_COLOR`, TTY). */
  colour: boolean;
  /**
   * How long a watch-mode run may go without a test starting or finishing
   * before it is stopped as probably an infinite loop or a missing response
   * (`KATA_RUN_TIME_LIMIT_MS`, default 20 s).
   */
  runTimeLimitMs: number;
  /**
   * How long `waitFor` and `connectClient` wait before failing, naming what did not
   * come (`KATA_EVENT_TIMEOUT_MS`, default 10 s). A safety net, never a measurement:
   * verify shortens it for the starter run, where the events never come.
   */
  eventTimeoutMs: number;
}

/** Thrown when a `KATA_*` variable holds a value we cannot use. */
export class ConfigError extends Error {
  readonly code = 'KATA_CONFIG_INVALID';
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}="${value}" is not valid: expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

function oneOf<T extends string>(variable: string, allowed: readonly T[]): T | undefined {
  const value = process.env[variable];
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(variable, value, allowed.map((a) => `"${a}"`).join(' or '));
}

function integer(variable: string, fallback: number): number {
  const value = process.env[variable];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new ConfigError(variable, value, 'an integer');
  return parsed;
}

function positive(variable: string, fallback: number): number {
  const value = integer(variable, fallback);
  if (value <= 0) throw new ConfigError(variable, String(value), 'a positive integer');
  return value;
}

/** Reads the configuration now (tests may change the environment between calls). */
export function readConfig(stream: { isTTY?: boolean } = process.stdout): KataConfig {
  const noColour = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const forceColour = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return {
    target: oneOf('KATA_TARGET', ['katas', 'solutions'] as const) ?? 'katas',
    mongoOverride: oneOf('KATA_MONGO', ['embedded', 'mongod'] as const),
    mongoUrl: process.env.MONGO_URL || undefined,
    redisBinary: process.env.REDISMS_SYSTEM_BINARY || undefined,
    seed: integer('KATA_SEED', 20261124),
    colour: !noColour && (forceColour || Boolean(stream.isTTY)),
    runTimeLimitMs: positive('KATA_RUN_TIME_LIMIT_MS', 20_000),
    eventTimeoutMs: positive('KATA_EVENT_TIMEOUT_MS', 10_000),
  };
}

/**
 * How long starting a piece of infrastructure (redis-server, the MongoDB
 * connection, the OpenID provider) may take before its hook fails. A net for a
 * hang, not a deadline: on a loaded 2-core machine a redis-server start has
 * taken more than Jest's 20 s test timeout, and a spec must not fail for that.
 */
export const INFRASTRUCTURE_START_TIMEOUT_MS = 120_000;

export type WebKitRoute = 'webkitgtk' | 'safari';

/** Where the browser engines are, and how to reach WebKit (see harness/browser). */
export interface BrowserConfig {
  /** `KATA_CHROMIUM`, default Debian's headless shell (`/usr/bin/chromium-headless-shell`), else its `/usr/bin/chromium`. */
  chromium: string;
  /** `KATA_FIREFOX`, default Debian's `/usr/bin/firefox-esr`. */
  firefox: string;
  /** `KATA_WEBKIT=webkitgtk|safari`: WebKitGTK's MiniBrowser under Xvfb, or Safari through safaridriver (macOS). */
  webkit: WebKitRoute;
  /** `KATA_BROWSER_TIMEOUT` (ms): how long a page waits for what a test asks before failing. */
  timeoutMs: number;
}

/**
 * Debian's build of Chromium's headless shell: the same Blink as `chromium`, without the
 * desktop browser around it (the build Playwright itself runs headless tests in). Each
 * page costs about a fifth less CPU; the web-tests grading took 34 to 36 s with
 * `chromium` and 27 to 29 s with it.
 */
export const chromiumHeadlessShell = '/usr/bin/chromium-headless-shell';

export function readBrowserConfig(): BrowserConfig {
  return {
    chromium: process.env.KATA_CHROMIUM || (fs.existsSync(chromiumHeadlessShell) ? chromiumHeadlessShell : '/usr/bin/chromium'),
    firefox: process.env.KATA_FIREFOX || '/usr/bin/firefox-esr',
    webkit: oneOf('KATA_WEBKIT', ['webkitgtk', 'safari'] as const) ?? (process.platform === 'darwin' ? 'safari' : 'webkitgtk'),
    // A grader's mutant waits for less (suite-settings.cjs); the variable is the user's setting.
    timeoutMs: suiteSettings().browserTimeoutMs ?? integer('KATA_BROWSER_TIMEOUT', 5_000),
  };
}

/**
 * The directory holding a kata's code in this run (`errors/global-handler`):
 * the learner's under `katas/`, the reference solution under `solutions/`, or,
 * in a wrong-solution run, the patched copy of the solution (the test
 * environment names its overlay in KATA_WRONG_OVERLAY). For code that runs
 * outside Jest's resolver, such as a spec's child process.
 */
export function kataCodeDir(kata: string): string {
  const tree = readConfig().target === 'solutions' ? 'solutions' : 'katas';
  const overlay = process.env.KATA_WRONG_OVERLAY;
  const base = overlay && fs.existsSync(path.join(overlay, tree, kata)) ? overlay : projectRoot;
  return path.join(base, tree, kata);
}
