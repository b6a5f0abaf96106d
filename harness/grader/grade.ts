import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserEngine } from '../browser/engines';
import { shareBrowsers } from '../browser/share-browsers';
import { filesUnder } from '../cli/project';
import { projectRoot, readBrowserConfig } from '../config';
import { shareRedis } from '../redis/share-redis';
import { catcherSpec, readCatchersFile, writeCatchersFile, type Catcher, type Catchers } from '../verify/catchers';
import { patchedFiles, readMutants, type Mutant } from './mutants';
import { importsBrowserHarness, relatedTestFiles } from './related-tests';
import { newSalt, saltedCopy } from './salt';
import { escapeRegExp, graderWorkers, makeWorkDir, runSuites, type SuiteOutcome, type SuiteRequest, type TestOutcome } from './run-suites';

/** What one mutant did to the learner's tests. */
export interface MutantResult {
  mutant: Mutant;
  /** Full names of the tests that failed against it (empty: it survived). */
  failedTests: string[];
  /** Test files that failed to load against it (a crash at import counts as caught). */
  loadErrors: string[];
  killed: boolean;
}

/** The learner's tests, graded: how they do on the real app and against each mutant. */
export interface KataGrade {
  /** Every test's outcome against the real app. */
  app: SuiteOutcome;
  /** True when at least one test ran, none failed and every file loaded. */
  appGreen: boolean;
  mutants: MutantResult[];
  score: { killed: number; total: number };
  /** A browser kata's browser starts and page calls that were slow or never answered (slow-calls.ts): where a test's time went. */
  slowBrowserCalls: string[];
}

export interface GradeOptions {
  kataDir: string;
  testsDir: string;
  /** Where the test files are imagined to live (the reference tests stand in for the learner's). */
  virtualTestsDir?: string;
  /**
   * Browser engines the tests open with useBrowser(): one browser of each is started
   * for the whole grading and every suite connects to it, instead of each suite
   * launching its own (a Chromium start costs seconds on a loaded machine, per mutant).
   */
  browsers?: readonly BrowserEngine[];
  /**
   * The tests use useRedis(): one redis-server is started for the whole grading and
   * every suite's file gets a database of its own on it, instead of starting a server
   * (and its watchdog process) per suite. Fault injection (stop(), freeze()) then refuses.
   */
  redis?: boolean;
  /**
   * Where the test that caught each mutant is recorded (see verify/catchers.ts for the
   * shape; `spec` is the test file's path under `testsDir`). A mutant first runs its
   * recorded test alone: most of a mutant's time went on the tests declared before the
   * one that catches it, each a full browser session in a browser kata. A recorded test
   * that no longer fails is no verdict: the mutant then runs all its tests again. Each
   * grading rewrites the record with what caught what. No file: every test runs.
   */
  catchersFile?: string;
  /**
   * Runs each recorded catcher alone against the real app as well, and counts a catch by a
   * test run alone only if that test passes alone on the app: a test that leans on the ones
   * declared before it fails alone on any mutant, and a record must never make a grading
   * kinder than a full run. It costs a suite per recorded test (in a browser kata, a browser session each), so
   * the grader asks it for the learner's tests, not for the reference tests, which are
   * written independent of each other.
   */
  checkCatchersAlone?: boolean;
  /**
   * A record of the same shape for other tests of the kata (the reference tests'), read when
   * `catchersFile` does not exist yet: a learner's first grading. A mutant then first runs the
   * learner's test of the same name, if their test file has one (not a todo), as if it were
   * recorded: the learner keeps the starter's test names, and with no record each mutant ran
   * every test declared before its first failure, each a browser session in a browser kata.
   * Counted the same way as a recorded catch (alone, and, with checkCatchersAlone, passing alone
   * on the real app); a mutant the named test does not catch runs every test in the second pass.
   */
  hintsFile?: string;
  /**
   * Packages the kata's app is built on that each of the grader's workers loads once and
   * shares between the suites it runs, instead of evaluating them again for every suite:
   * for packages no test mocks and that keep nothing of an app at module level, such as
   * Express (see grader-runtime.cjs for the measure and the caveats).
   */
  sharedPackages?: readonly string[];
}

const appSuite = 'app';

/**
 * The page wait limit in a mutant's runs (and a catcher's run alone on the app): half the
 * configured one (KATA_BROWSER_TIMEOUT, 5 s by default). Most mutants of a browser kata are
 * caught by a wait for something the mutant never shows, which lasts the whole limit (8 of
 * web-tests' 13 mutants); on the correct path a wait ends within a few hundred milliseconds,
 * even on a busy machine, so a shorter net only makes an absence count sooner. The real app's
 * suite keeps the whole limit: there, a wait cut short would fail the learner's correct tests.
 * (The wrong-solution run shortens the harness's event waits the same way.)
 *
 * @example
 *   mutantBrowserTimeout(5_000); // 2_500
 */
export function mutantBrowserTimeout(configuredMs: number): number {
  return Math.round(configuredMs / 2);
}

/**
 * How long a grading may take before it is stopped as hung. These are hang guards,
 * not the budget (a whole kata in 30 s on an idle machine, where a suite takes about
 * 3 s, or 8 s when its tests drive a browser). Each suite gets 30 s, or 120 s with a
 * browser: about twice what one took on this project's 2-core machine at a load
 * average of 20 to 27 (14 s, and 70 s for the browser kata); the suites share the
 * child's workers; Jest's start gets a minute. The grading as a whole (the outer
 * beforeAll) gets another minute for the services it starts first (a browser launch
 * took 23 s under that load), so that the child's own limit fires first and says so.
 *
 * @example
 *   gradingLimits(15, []); // { runMs: 300_000, totalMs: 360_000 }
 */
export function gradingLimits(suiteCount: number, browsers: readonly BrowserEngine[]): { runMs: number; totalMs: number } {
  const perSuite = browsers.length > 0 ? 120_000 : 30_000;
  const runMs = 60_000 + Math.ceil(suiteCount / graderWorkers(browsers.length > 0)) * perSuite;
  return { runMs, totalMs: runMs + 60_000 };
}

export function fullName(test: TestOutcome): string {
  return [...test.ancestors, test.title].join(' › ');
}

/**
 * Grades a testing kata: the test files in `testsDir` run against the kata's
 * real `src/` and against every mutant in `mutants/`, in one Jest process; a
 * mutant runs only the test files that import what it changes, and stops once
 * a test failed on the real app (run-suites.ts).
 * A mutant is killed when at least one test fails against it, and only counts
 * once the tests are green on the real app (otherwise a failing test would
 * "kill" everything).
 *
 * @example
 *   const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'tests') });
 *   console.log(`${grade.score.killed}/${grade.score.total} mutants killed`);
 */
export async function gradeKata({ kataDir, testsDir, virtualTestsDir, browsers = [], redis = false, catchersFile, checkCatchersAlone = true, hintsFile, sharedPackages }: GradeOptions): Promise<KataGrade> {
  const mutants = readMutants(kataDir);
  const catchers = catchersFile ? readCatchersFile(catchersFile) : {};
  const hints = hintsFile && !(catchersFile && fs.existsSync(catchersFile)) ? readCatchersFile(hintsFile) : {};
  /** A hinted test file's text, read once for all the mutants hinted to it. */
  const sources = new Map<string, string>();
  const sourceOf = (file: string) => sources.get(file) ?? sources.set(file, fs.readFileSync(file, 'utf8')).get(file)!;
  const workDir = makeWorkDir();
  const browserTimeoutMs = browsers.length > 0 ? mutantBrowserTimeout(readBrowserConfig().timeoutMs) : undefined;
  try {
    const testFiles = filesUnder(testsDir)
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => path.join(testsDir, file));
    const virtualDirOf = (file: string) => path.join(virtualTestsDir ?? testsDir, path.relative(testsDir, path.dirname(file)));
    /** Each mutant's suite with every related test, by suite name; the first pass may run its recorded catcher alone. */
    const full = new Map<string, SuiteRequest>();
    // In a kata run in several engines, each engine's part of the real app's suite is a suite of
    // its own, so that they run side by side in the child's workers instead of one after another.
    // The app and every mutant run as salted copies of src/, alike in all but what the code does (salt.ts).
    const salt = newSalt();
    const copyDir = () => path.join(workDir, crypto.randomBytes(8).toString('hex'));
    const salted = saltedCopy(kataDir, copyDir(), salt);
    const appSuites: SuiteRequest[] = (browsers.length > 1 ? browsers.map((engine) => ({ name: `${appSuite}:${engine}`, engines: [engine] })) : [{ name: appSuite }]).map(
      (suite) => ({ ...suite, app: true, overlay: salted }),
    );
    const firstPass: SuiteRequest[] = [...appSuites];
    /** Each recorded catcher that runs alone, also run alone against the real app (one suite per test and engines). */
    const aloneOnApp = new Map<string, SuiteRequest>();
    /** A mutant's suite name → the suite that runs its catcher alone on the app. */
    const aloneOnAppOf = new Map<string, SuiteRequest>();
    for (const mutant of mutants) {
      const patched = patchedFiles(kataDir, mutant);
      const overlay = saltedCopy(kataDir, copyDir(), salt, patched);
      const changed = patched.map(({ relative }) => path.join(kataDir, relative));
      // Only the test files that import what the mutant changed can notice it; the others would pass as on the app.
      const related = relatedTestFiles(testFiles, virtualDirOf, path.join(kataDir, 'src'), changed);
      if (related.length === 0) continue;
      // A browser kata's mutant runs in the engines its bug lives in, or else in the first engine (see Mutant.engines).
      const engines = browsers.length > 0 ? (mutant.engines ?? [browsers[0]!]) : undefined;
      const suite: SuiteRequest = { name: `mutant:${mutant.name}`, overlay, testFiles: related, engines, browserTimeoutMs };
      full.set(suite.name, suite);
      const fileOf = (record: Catcher) => related.find((file) => catcherSpec(testsDir, file) === record.spec);
      const hint = hints[mutant.name];
      const hintFile = hint && fileOf(hint);
      const catcher = catchers[mutant.name] ?? (hintFile && declaresTest(sourceOf(hintFile), hint.test) ? hint : undefined);
      const catcherFile = catcher && fileOf(catcher);
      if (!catcherFile) {
        firstPass.push(suite);
      } else if (catcher.test.length === 0) {
        // Recorded as a file that failed to load: the whole file runs.
        firstPass.push({ ...suite, testFiles: [catcherFile] });
      } else {
        firstPass.push({ ...suite, testFiles: [catcherFile], onlyTest: catcher.test });
        if (checkCatchersAlone) {
          const key = JSON.stringify([catcher.spec, catcher.test, engines]);
          // With the mutant's wait limit: a catch by a wait cut short counts only if the same test passes with it on the app.
          if (!aloneOnApp.has(key)) aloneOnApp.set(key, { name: `alone-on-app:${aloneOnApp.size}`, overlay: salted, testFiles: [catcherFile], onlyTest: catcher.test, engines, browserTimeoutMs });
          aloneOnAppOf.set(suite.name, aloneOnApp.get(key)!);
        }
      }
    }
    firstPass.push(...aloneOnApp.values());
    /** A catch by a test run alone counts only if that test passes alone on the real app (checkCatchersAlone). */
    const caughtAlone = (suite: SuiteRequest, outcomes: Map<string, SuiteOutcome>) => {
      if (!caught(outcomes.get(suite.name))) return false;
      const check = aloneOnAppOf.get(suite.name);
      const onApp = check && outcomes.get(check.name);
      return check === undefined || (onApp !== undefined && isGreen(onApp));
    };
    // A browser test is a chain of waits, each with its own limit (KATA_BROWSER_TIMEOUT) that
    // names what the page showed; the test's own limit only stops a hang, so it stays clear of them.
    const testTimeout = browsers.length > 0 ? 60_000 : undefined;
    // Browsers start with the grading when the tests can open pages, else only if one asks.
    const shared = await shareServices(browsers, redis, testFiles.some(importsBrowserHarness));
    let slowBrowserCalls: string[] = [];
    const pass = (suites: SuiteRequest[], name: string) => {
      const passDir = path.join(workDir, name);
      fs.mkdirSync(passDir);
      const runTimeout = gradingLimits(suites.length, browsers).runMs;
      return runSuites({ kataDir, testsDir, virtualTestsDir, suites, workDir: passDir, testTimeout, runTimeout, env: shared.env, workers: graderWorkers(browsers.length > 0), sharedPackages, salt });
    };
    const outcomes = await (async () => {
      const first = await pass(firstPass, 'first-pass');
      first.set(appSuite, mergeOutcomes(appSuites.map((suite) => first.get(suite.name)!)));
      // A mutant that stood against its recorded catcher alone runs every test (once the app is green: else nothing counts).
      const again = firstPass.filter((suite) => full.has(suite.name) && suite !== full.get(suite.name) && !caughtAlone(suite, first));
      if (again.length === 0 || !isGreen(first.get(appSuite)!)) return first;
      const second = await pass(
        again.map((suite) => full.get(suite.name)!),
        'second-pass',
      );
      return new Map([...first, ...second]);
    })()
      // A browser that never started failed its engine's tests: the grading fails with its reason instead.
      .then(async (outcomes) => {
        await shared.whenStarted();
        return outcomes;
      })
      .finally(() => {
        slowBrowserCalls = shared.slowCalls();
        return shared.close();
      });
    const app = outcomes.get(appSuite)!;
    const appGreen = isGreen(app);
    const results = mutants.map((mutant): MutantResult => {
      const outcome = outcomes.get(`mutant:${mutant.name}`) ?? { tests: [], loadErrors: [] };
      const failedTests = outcome.tests.filter((test) => test.status === 'failed').map(fullName);
      const loadErrors = outcome.loadErrors.map((error) => error.file);
      return { mutant, failedTests, loadErrors, killed: appGreen && failedTests.length + loadErrors.length > 0 };
    });
    if (catchersFile && appGreen) writeCatchersFile(catchersFile, catchersOf(testsDir, mutants, outcomes));
    return {
      app,
      appGreen,
      mutants: results,
      score: { killed: results.filter((result) => result.killed).length, total: results.length },
      slowBrowserCalls,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * One outcome from the engines' parts of the app's suite: a test inside an engine's block
 * ran in that part alone (skipped in the others), one outside any ran in each; a test
 * counts as failed if it failed anywhere, else as passed if it passed anywhere.
 */
function mergeOutcomes(parts: SuiteOutcome[]): SuiteOutcome {
  if (parts.length === 1) return parts[0]!;
  const rank = (status: TestOutcome['status']) => (status === 'failed' ? 2 : status === 'passed' ? 1 : 0);
  const tests = new Map<string, TestOutcome>();
  for (const test of parts.flatMap((part) => part.tests)) {
    const key = JSON.stringify([test.file, test.ancestors, test.title]);
    const seen = tests.get(key);
    if (!seen || rank(test.status) > rank(seen.status)) tests.set(key, test);
  }
  const loadErrors = new Map(parts.flatMap((part) => part.loadErrors).map((error) => [error.file, error]));
  return { tests: [...tests.values()], loadErrors: [...loadErrors.values()] };
}

/**
 * Whether a test file's text names a test (its own name, in a call that is not a todo): the
 * cheap check a hint needs before it costs a suite. The describe names are not looked for.
 *
 * @example
 *   declaresTest("it('adds', …)", ['math', 'adds']); // true
 *   declaresTest("it.todo('adds')", ['math', 'adds']); // false
 */
export function declaresTest(source: string, test: readonly string[]): boolean {
  const title = test.at(-1);
  if (!title || !source.includes(title)) return false;
  return !new RegExp(String.raw`\.todo\(\s*['"\x60]${escapeRegExp(title)}`).test(source);
}

/** True when at least one test ran, none failed and every file loaded. */
function isGreen(outcome: SuiteOutcome): boolean {
  const ran = outcome.tests.filter((test) => test.status === 'passed' || test.status === 'failed');
  return ran.length > 0 && outcome.loadErrors.length === 0 && ran.every((test) => test.status === 'passed');
}

function caught(outcome: SuiteOutcome | undefined): boolean {
  return outcome !== undefined && (outcome.loadErrors.length > 0 || outcome.tests.some((test) => test.status === 'failed'));
}

/** The first test that failed against each caught mutant (or the file that failed to load). */
function catchersOf(testsDir: string, mutants: Mutant[], outcomes: Map<string, SuiteOutcome>): Catchers {
  const found: Catchers = {};
  for (const mutant of mutants) {
    const outcome = outcomes.get(`mutant:${mutant.name}`);
    const failed = outcome?.tests.find((test) => test.status === 'failed');
    if (failed) found[mutant.name] = { spec: catcherSpec(testsDir, failed.file), test: [...failed.ancestors, failed.title] };
    else if (outcome?.loadErrors[0]) found[mutant.name] = { spec: catcherSpec(testsDir, path.join(projectRoot, outcome.loadErrors[0].file)), test: [] };
  }
  return found;
}

/** The browsers and the Redis server the suites share, started once for the grading. */
async function shareServices(
  browsers: readonly BrowserEngine[],
  redis: boolean,
  startBrowsersNow: boolean,
): Promise<{ env: Record<string, string>; whenStarted(): Promise<void>; slowCalls(): string[]; close(): Promise<void> }> {
  const sharedRedis = redis ? await shareRedis() : undefined;
  try {
    const sharedBrowsers = await shareBrowsers(browsers, { startNow: startBrowsersNow });
    return {
      env: { ...sharedRedis?.env, ...sharedBrowsers.env },
      whenStarted: sharedBrowsers.whenStarted,
      slowCalls: sharedBrowsers.slowCalls,
      close: async () => void (await Promise.all([sharedBrowsers.close(), sharedRedis?.close()])),
    };
  } catch (error) {
    await sharedRedis?.close();
    throw error;
  }
}
