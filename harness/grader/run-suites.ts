import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jestConfig from '../../jest.config';
import { browserEnginesVariable } from '../browser/engines';
import { projectRoot } from '../config';
import { makeScratchDir } from '../process/scratch-dir';

/** One test of the learner's, as one suite run saw it. */
export interface TestOutcome {
  /** The describe() titles around it, outermost first. */
  ancestors: string[];
  title: string;
  status: 'passed' | 'failed' | 'pending' | 'todo' | 'skipped' | 'disabled' | 'focused';
  /** The failure's first lines (no stack), or null. */
  failure: string | null;
  /** The test file it is in (absolute). */
  file: string;
}

/** What one suite (the real app, or one mutant) did with the learner's test files. */
export interface SuiteOutcome {
  tests: TestOutcome[];
  /** Test files that failed before running a test (syntax error, a throw at import, no test at all). */
  loadErrors: { file: string; message: string }[];
}

/** One run of the learner's tests: against the real app (its salted copy, or with no overlay `src/` itself) or a mutant. */
export interface SuiteRequest {
  name: string;
  /**
   * The real app's run (or an engine's part of it): every test runs and each failure is
   * reported, where any other suite stops at its first. True by default for a suite with
   * neither an overlay nor `onlyTest`.
   */
  app?: boolean;
  /** Folder holding the mutant's patched files in the kata's layout (`<overlay>/src/…`); for the app, its salted copy (salt.ts). */
  overlay?: string;
  /** The test files to run (absolute); all of `testsDir` when absent. */
  testFiles?: string[];
  /** The browser engines whose forEachBrowser() blocks run (the others are skipped); all when absent. */
  engines?: readonly string[];
  /**
   * Only this test runs (its describe names, then its own name): a mutant against its
   * recorded catcher, or, without an overlay, that test alone against the real app (grade.ts).
   */
  onlyTest?: readonly string[];
  /** The page wait limit (KATA_BROWSER_TIMEOUT, ms) in this suite's runs, when not the configured one. */
  browserTimeoutMs?: number;
}

export interface RunSuitesOptions {
  /** `katas/testing/<kata>`: whose `src/` the tests import. */
  kataDir: string;
  /** Where the test files (`**\/*.test.ts`) are: the learner's, or the reference tests. */
  testsDir: string;
  /** Where the tests are imagined to live (their imports resolve from there); defaults to `testsDir`. */
  virtualTestsDir?: string;
  suites: SuiteRequest[];
  /** Scratch folder for the generated resolvers (the caller removes it). */
  workDir: string;
  /** Per-test timeout inside the runs. */
  testTimeout?: number;
  /** Kill the Jest child after this long (a hang guard: see gradingLimits() in grade.ts). */
  runTimeout: number;
  /** Variables for the Jest child and its workers (the endpoints of shared browsers). */
  env?: Record<string, string>;
  /** The child's Jest workers (graderWorkers()). */
  workers: number;
  /** Packages each worker loads once for all its suites (grader-runtime.cjs); none by default. */
  sharedPackages?: readonly string[];
  /** The grading's salt (salt.ts), written into the salted copies' compiled code as they load (grader-runtime.cjs). */
  salt?: string;
}

/** Thrown when the Jest child cannot run or report (not when tests fail). */
export class GraderRunError extends Error {
  readonly code = 'KATA_GRADER_RUN_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'GraderRunError';
  }
}

const runnerScript = path.join(__dirname, 'runner.cjs');
const overlayResolver = path.join(__dirname, 'overlay-resolver.cjs');
const requireAssertions = path.join(__dirname, 'require-assertions.ts');
// Shared with verify's wrong-solution runs: once a test failed, the project's other tests are skipped.
const firstFailureEnvironment = path.join(__dirname, '..', 'jest', 'first-failure-environment.cjs');
const appFirstSequencer = path.join(__dirname, 'app-first-sequencer.cjs');
const graderRuntime = path.join(__dirname, 'grader-runtime.cjs');

/**
 * Two workers, the cores CI has: each suite is one small test file, so more would
 * only queue. A browser kata's suites mostly wait (on the page, and a caught mutant's
 * test on its wait limit, half the page wait: see mutantBrowserTimeout()), so more of
 * them run at once: six.
 *
 * @example
 *   graderWorkers(false); // 2
 */
export function graderWorkers(browsers: boolean): number {
  // Measured on this project's 2-core machine, alternating, the reference tests:
  // - cross-browser: 6 workers 11.7 to 12.4 s, 4 workers 14.2 to 14.8 s, for the same CPU (18 to 20 CPU-s);
  //   8 workers 12.0 s against 6's 12.4 to 12.8 s. With three busy loops beside it, 6 workers 15.3 and 18.5 s,
  //   4 workers 17.8 and 18.8 s. A learner's first grading (the reference tests as theirs): 12.8 to 15.4 s against
  //   15.2 to 17.8 s. Four workers left the mutants whose catching test waits out its limit (five of them, 2.8 s
  //   each, CPU idle) queued behind the app's suites, one after another at the end.
  // - web-tests: 6 workers 8.9 to 9.2 s, 4 workers 9.6 to 10.6 s.
  // - all seven testing katas at once (verify's step): 32.5 and 33.4 s against 37.9 and 31.7 s.
  // An earlier measure, before Firefox's pages shared one process (firefox.ts), had six workers' Firefox windows
  // cost more than they saved.
  return browsers ? 6 : 2;
}

/**
 * Runs the learner's test files once per suite, all suites in ONE Jest process
 * (a child, so that this Jest's module registry and the learner's never mix):
 * each suite is a Jest project whose resolver swaps in that mutant's files.
 * Jest's start-up is paid once per kata, not once per mutant.
 *
 * @example
 *   const bySuite = await runSuites({ kataDir, testsDir, workDir, runTimeout: 120_000, suites: [{ name: 'app' }, { name: 'm1', overlay }] });
 *   bySuite.get('m1')!.tests.some((t) => t.status === 'failed'); // the mutant was caught
 */
export async function runSuites(options: RunSuitesOptions): Promise<Map<string, SuiteOutcome>> {
  const { kataDir, testsDir, suites, workDir, sharedPackages = [] } = options;
  const virtualTestsDir = options.virtualTestsDir ?? testsDir;
  const appFailed = path.join(workDir, 'app-failed');
  const projects = suites.map((suite, index) => {
    const resolverFile = path.join(workDir, `resolver-${index}.cjs`);
    const standIns = [{ actual: testsDir, virtual: virtualTestsDir }];
    const overlay = suite.overlay ? { actual: path.join(suite.overlay, 'src'), virtual: path.join(kataDir, 'src') } : undefined;
    if (suite.overlay) standIns.push({ actual: suite.overlay, virtual: kataDir });
    fs.writeFileSync(
      resolverFile,
      `module.exports = require(${JSON.stringify(overlayResolver)}).createOverlayResolver(${JSON.stringify({ standIns, overlay })});\n`,
    );
    return {
      displayName: suite.name,
      id: `kata-grader-${index}-${suite.name}`,
      rootDir: projectRoot,
      roots: [testsDir],
      testRegex: suite.testFiles ? suite.testFiles.map((file) => `^${escapeRegExp(file)}$`) : ['\\.test\\.ts$'],
      // On the real app every test must run (each failure is reported); a mutant is caught by its first failure.
      // A mutant's suite stops at its first failure, and once the real app's failed (a
      // mutant counts only against tests green on the app, so its run would be for nothing).
      testEnvironment: firstFailureEnvironment,
      testEnvironmentOptions: {
        // The app's suite reports its failures; every other suite (a mutant, a test alone) stops at its first.
        ...((suite.app ?? (!suite.overlay && !suite.onlyTest)) ? { reportFailureTo: appFailed } : { failureMarker: path.join(workDir, `failed-${index}`), skipAfter: appFailed }),
        ...(suite.engines ? { browserEngines: suite.engines } : {}),
        ...(suite.onlyTest ? { onlyTest: suite.onlyTest } : {}),
        ...(suite.browserTimeoutMs ? { browserTimeoutMs: suite.browserTimeoutMs } : {}),
        ...(sharedPackages.length > 0 ? { sharedPackages } : {}),
        ...(options.salt ? { salt: options.salt } : {}),
      },
      runtime: graderRuntime,
      transform: jestConfig.transform,
      transformIgnorePatterns: jestConfig.transformIgnorePatterns,
      resolver: resolverFile,
      setupFilesAfterEnv: [requireAssertions],
    };
  });
  const request = {
    rootDir: projectRoot,
    globalConfig: {
      globalSetup: jestConfig.globalSetup,
      globalTeardown: jestConfig.globalTeardown,
      passWithNoTests: true,
      testSequencer: appFirstSequencer,
      // A global option: Jest ignores testTimeout in a project's config (the learner's tests then got Jest's 5 s).
      testTimeout: options.testTimeout ?? 10_000,
      maxWorkers: options.workers,
    },
    projects,
  };
  const requestFile = path.join(workDir, 'request.json');
  const outcomeFile = path.join(workDir, 'outcome.json');
  fs.writeFileSync(requestFile, JSON.stringify(request));
  await runChild([runnerScript, requestFile, outcomeFile], options.runTimeout, options.env);

  const raw = JSON.parse(fs.readFileSync(outcomeFile, 'utf8')) as {
    suites: { suite: string; file: string; loadError: string | null; tests: Omit<TestOutcome, 'file'>[] }[];
  };
  const bySuite = new Map<string, SuiteOutcome>(suites.map((suite) => [suite.name, { tests: [], loadErrors: [] }]));
  for (const file of raw.suites) {
    const outcome = bySuite.get(file.suite);
    if (!outcome) throw new GraderRunError(`Jest reported a suite "${file.suite}" that was never asked for.`);
    outcome.tests.push(...file.tests.map((test) => ({ ...test, file: file.file })));
    if (file.loadError) outcome.loadErrors.push({ file: path.relative(projectRoot, file.file), message: file.loadError });
  }
  return bySuite;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function runChild(args: string[], timeout: number, extraEnv: Record<string, string> = {}): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, KATA_QUIET: '1' };
  // The child is its own Jest run; the outer worker's identity must not leak into it.
  delete env.JEST_WORKER_ID;
  // Each suite's engines are its project's (testEnvironmentOptions.browserEngines): the real app runs in all.
  delete env[browserEnginesVariable];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: projectRoot, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) {
        const why = error.killed ? `took longer than ${timeout / 1000} s and was stopped` : `exited with ${error.code}`;
        reject(new GraderRunError(`The grader's Jest run ${why}.\n${stderr.trim().split('\n').slice(-15).join('\n')}`));
      } else {
        resolve();
      }
    });
  });
}

/** A scratch folder for one grading, under the system's temporary folder (the abandoned ones of gradings before go). */
export function makeWorkDir(): string {
  return makeScratchDir('kata-grade-');
}
