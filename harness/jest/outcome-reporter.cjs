// @ts-check
/**
 * A quiet Jest reporter for runs with many projects (wrong solutions): one JSON
 * line per spec file in `outputFile`, saying which project (its rootDir) ran it,
 * which tests failed, and the error of a file that failed before its tests ran.
 *
 * A grouped run's file (several patches, see harness/jest/wrong-group-runtime.cjs)
 * becomes one line per patch, as if each had run its spec file alone, plus one for
 * the group's control, whose project is the group's rootDir.
 *
 * Plain CommonJS because Jest loads reporters without a transform.
 */
const fs = require('node:fs');
const { LOAD_FAILED } = require('./wrong-group-names.cjs');

class OutcomeReporter {
  /**
   * @param {unknown} _globalConfig
   * @param {{ outputFile: string }} options
   */
  constructor(_globalConfig, options) {
    this.outputFile = options.outputFile;
    fs.writeFileSync(this.outputFile, '');
  }

  /**
   * @param {{ context: { config: { rootDir: string; testEnvironmentOptions?: Record<string, unknown> } } }} test
   * @param {import('@jest/test-result').TestResult} result
   */
  onTestResult(test, result) {
    const group = /** @type {any} */ (test.context.config.testEnvironmentOptions?.wrongGroup);
    if (group) return this.writeGroup(test.context.config.rootDir, group, result);
    const line = {
      project: test.context.config.rootDir,
      file: result.testFilePath,
      durationMs: result.perfStats.end - result.perfStats.start,
      passed: result.numPassingTests,
      failed: result.testResults.filter((t) => t.status === 'failed').map((t) => t.fullName),
      // The same tests as describe names then test name: what a catcher records (harness/verify/catchers.ts).
      failedPaths: result.testResults.filter((t) => t.status === 'failed').map((t) => [...t.ancestorTitles, t.title]),
      // A failing afterAll or an unhandled error fails the file without failing a test.
      otherFailure: result.numFailingTests === 0 && Boolean(result.failureMessage),
      suiteError: result.testExecError ? String(result.testExecError.message).slice(0, 2000) : undefined,
    };
    fs.appendFileSync(this.outputFile, `${JSON.stringify(line)}\n`);
  }

  /**
   * @param {string} rootDir
   * @param {{ spec: string; patches: { id: string; overlay: string }[]; control: { id: string } }} group
   * @param {import('@jest/test-result').TestResult} result
   */
  writeGroup(rootDir, group, result) {
    // A file that failed outside every test (a failing afterAll, an unhandled error) cannot
    // say which patch failed it: the control carries it, which voids the group's verdicts.
    const unexplained = result.testExecError ? String(result.testExecError.message).slice(0, 2000) : undefined;
    const otherFailure = result.numFailingTests === 0 && Boolean(result.failureMessage);
    const members = [...group.patches.map((p) => ({ id: p.id, project: p.overlay })), { id: group.control.id, project: rootDir }];
    for (const { id, project } of members) {
      const tests = result.testResults.filter((t) => t.ancestorTitles[0] === id);
      const failed = tests.filter((t) => t.status === 'failed');
      const loadFailure = failed.find((t) => t.title === LOAD_FAILED && t.ancestorTitles.length === 1);
      const isControl = project === rootDir;
      const line = {
        project,
        file: group.spec,
        durationMs: tests.reduce((sum, t) => sum + (t.duration ?? 0), 0),
        passed: tests.filter((t) => t.status === 'passed').length,
        failed: loadFailure ? [] : failed.map((t) => [...t.ancestorTitles.slice(1), t.title].join(' ')),
        failedPaths: loadFailure ? [] : failed.map((t) => [...t.ancestorTitles.slice(1), t.title]),
        otherFailure: isControl && otherFailure,
        suiteError: loadFailure ? String(loadFailure.failureMessages[0] ?? '').slice(0, 2000) : isControl ? unexplained : undefined,
      };
      fs.appendFileSync(this.outputFile, `${JSON.stringify(line)}\n`);
    }
  }

  getLastError() {
    return undefined;
  }
}

module.exports = OutcomeReporter;
