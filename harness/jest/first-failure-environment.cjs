// @ts-check
/**
 * Jest's node environment, plus one rule for wrong-solution runs: once any test
 * of this Jest project failed, the project's remaining tests are skipped. A wrong
 * solution needs one red test to count as caught, and most of a kata's specs
 * would only repeat the news; the run is several times faster without them.
 *
 * The project's spec files run in different workers, so "this project failed"
 * is a marker file (testEnvironmentOptions.failureMarker), written on the first
 * failure and checked before every describe block and test. Skipping a describe
 * block skips its beforeAll hooks (no Redis started for nothing); the afterAll
 * hooks of blocks that already ran still run, so nothing is left open.
 *
 * With `testEnvironmentOptions.onlyTest` (a test's describe names, then its own
 * name), every other test is skipped, and so is every describe block that does
 * not lead to it, with its hooks: verify first re-runs the test that caught a
 * wrong solution last time (harness/verify/catchers.ts).
 *
 * The grader (harness/grader) runs the real app's suite and the mutants' in one Jest
 * run: the app's suite names `testEnvironmentOptions.reportFailureTo` (a marker it
 * writes on its first failure, and runs on), and each mutant's `skipAfter`, the
 * same file: once the learner's tests failed on the real app no mutant can count,
 * so the mutants' remaining tests are skipped as after their own failure.
 *
 * In a grouped wrong-solution run (`testEnvironmentOptions.wrongGroup`, see
 * wrong-group-runtime.cjs), each top-level describe block is one patch (or the
 * group's control) and runs only the tests named for it: the rule above, per block.
 *
 * Plain CommonJS because Jest loads test environments without a transform.
 */
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');
const { LOAD_FAILED } = require('./wrong-group-names.cjs');
const { setSuiteSettings } = require('./suite-settings.cjs');

class FirstFailureEnvironment extends TestEnvironment {
  /**
   * @param {import('@jest/environment').JestEnvironmentConfig} config
   * @param {import('@jest/environment').EnvironmentContext} context
   */
  constructor(config, context) {
    super(config, context);
    const marker = config.projectConfig.testEnvironmentOptions.failureMarker;
    /** @type {string | undefined} */
    this.failureMarker = typeof marker === 'string' ? marker : undefined;
    this.failed = false;
    // A wrong solution's patched copy lives in its project's rootDir: code a spec runs outside
    // Jest (a child process) finds it through kataCodeDir() in harness/config.ts. A grader's
    // suites all have the repository as rootDir: nothing to name, and a variable set for a
    // mutant's suite and not the app's would tell one from the other.
    if (this.failureMarker && config.projectConfig.rootDir !== config.globalConfig.rootDir) {
      this.global.process.env.KATA_WRONG_OVERLAY = config.projectConfig.rootDir;
    }
    // A grader's mutant whose bug lives in some browser engines runs only their forEachBrowser() blocks
    // (harness/browser/engines.ts), and waits on the page for half the configured limit (harness/grader/grade.ts).
    const { browserEngines, browserTimeoutMs } = config.projectConfig.testEnvironmentOptions;
    setSuiteSettings(this.global, {
      ...(Array.isArray(browserEngines) ? { browserEngines: browserEngines.map(String) } : {}),
      ...(typeof browserTimeoutMs === 'number' ? { browserTimeoutMs } : {}),
    });
    const { reportFailureTo, skipAfter } = config.projectConfig.testEnvironmentOptions;
    /** @type {string | undefined} */
    this.reportFailureTo = typeof reportFailureTo === 'string' ? reportFailureTo : undefined;
    /** @type {string | undefined} */
    this.skipAfter = typeof skipAfter === 'string' ? skipAfter : undefined;
    const only = config.projectConfig.testEnvironmentOptions.onlyTest;
    /** @type {string[] | undefined} */
    this.onlyTest = Array.isArray(only) ? only.map(String) : undefined;
    const group = config.projectConfig.testEnvironmentOptions.wrongGroup;
    /** @type {Map<string, string[][]> | undefined} The tests each member of a wrong-solution group runs, by its block's name. */
    this.groupTests = group
      ? new Map([.../** @type {any} */ (group).patches, /** @type {any} */ (group).control].map((m) => [m.id, [...m.tests, [LOAD_FAILED]]]))
      : undefined;
  }

  /** @param {import('@jest/types').Circus.Event} event */
  handleTestEvent(event) {
    if (this.groupTests) return this.runOnlyGroupTests(event);
    if (event.name === 'test_done' && event.test.errors.length > 0) this.markFailed();
    else if (event.name === 'hook_failure') this.markFailed();
    else if (!this.failureMarker) return;
    else if (event.name === 'run_describe_start' && (this.projectFailed() || !this.leadsToOnlyTest(namesOf(event.describeBlock))))
      event.describeBlock.mode = 'skip';
    else if (event.name === 'test_start' && (this.projectFailed() || !this.isOnlyTest([...namesOf(event.test.parent), event.test.name])))
      event.test.mode = 'skip';
  }

  /**
   * A member block runs its named tests only, and the describe blocks that lead to them.
   * @param {import('@jest/types').Circus.Event} event
   */
  runOnlyGroupTests(event) {
    if (event.name === 'run_describe_start') {
      const [member, ...rest] = namesOf(event.describeBlock);
      const tests = member === undefined ? undefined : this.groupTests?.get(member);
      if (tests && !tests.some((test) => leadsTo(rest, test))) event.describeBlock.mode = 'skip';
    } else if (event.name === 'test_start') {
      const [member, ...rest] = [...namesOf(event.test.parent), event.test.name];
      const tests = member === undefined ? undefined : this.groupTests?.get(member);
      if (!tests?.some((test) => isTest(rest, test))) event.test.mode = 'skip';
    }
  }

  /** @param {string[]} names */
  leadsToOnlyTest(names) {
    return !this.onlyTest || leadsTo(names, this.onlyTest);
  }

  /** @param {string[]} names */
  isOnlyTest(names) {
    return !this.onlyTest || isTest(names, this.onlyTest);
  }

  markFailed() {
    if (this.failed) return;
    this.failed = true;
    for (const marker of [this.failureMarker, this.reportFailureTo]) if (marker) fs.writeFileSync(marker, '');
  }

  projectFailed() {
    return this.failed || [this.failureMarker, this.skipAfter].some((marker) => marker !== undefined && fs.existsSync(marker));
  }
}

/**
 * Whether describe names lead to a test (its describe names, then its own name): a strict prefix.
 * @param {string[]} names @param {string[]} test
 */
const leadsTo = (names, test) => names.length < test.length && names.every((name, i) => name === test[i]);

/**
 * Whether names (describe names, then a test's) are that test's.
 * @param {string[]} names @param {string[]} test
 */
const isTest = (names, test) => names.length === test.length && names.every((name, i) => name === test[i]);

/**
 * A describe block's names, outermost first; the root block (no parent) has none.
 * @param {import('@jest/types').Circus.DescribeBlock} block
 */
function namesOf(block) {
  /** @type {string[]} */
  const names = [];
  for (let at = block; at.parent; at = at.parent) names.unshift(at.name);
  return names;
}

module.exports = FirstFailureEnvironment;
