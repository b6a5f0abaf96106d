// @ts-check
/**
 * A quiet Jest reporter for runs with many projects (wrong solutions): one JSON
 * line per spec file in `outputFile`, saying which project (its rootDir) ran it,
 * which tests failed, and the error of a file that failed before its tests ran.
 *
 * Plain CommonJS because Jest loads reporters without a transform.
 */
const fs = require('node:fs');

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
   * @param {{ context: { config: { rootDir: string } } }} test
   * @param {import('@jest/test-result').TestResult} result
   */
  onTestResult(test, result) {
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

  getLastError() {
    return undefined;
  }
}

module.exports = OutcomeReporter;
