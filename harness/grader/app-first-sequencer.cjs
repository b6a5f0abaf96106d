// @ts-check
/**
 * The order of the grader's suites: the real app first, since it runs every test
 * while a mutant's suite stops at its first failure (harness/jest/first-failure-environment.cjs,
 * whose marker file its testEnvironmentOptions name);
 * started last, it would leave the other worker idle at the end. The rest keep
 * Jest's own order.
 */
const Sequencer = require('@jest/test-sequencer').default;

class AppFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const isApp = (/** @type {import('@jest/test-result').Test} */ test) => !test.context.config.testEnvironmentOptions.failureMarker;
    return [...sorted.filter(isApp), ...sorted.filter((test) => !isApp(test))];
  }
}

module.exports = AppFirstSequencer;
