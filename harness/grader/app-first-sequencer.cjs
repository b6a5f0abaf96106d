// @ts-check
/**
 * The order of the grader's suites: the real app first, since it runs every test
 * while a mutant's suite stops at its first failure (first-failure-environment.cjs);
 * started last, it would leave the other worker idle at the end. The rest keep
 * Jest's own order.
 */
const path = require('node:path');

const firstFailureEnvironment = path.join(__dirname, 'first-failure-environment.cjs');
const Sequencer = require('@jest/test-sequencer').default;

class AppFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    const isApp = (/** @type {import('@jest/test-result').Test} */ test) => test.context.config.testEnvironment !== firstFailureEnvironment;
    return [...sorted.filter(isApp), ...sorted.filter((test) => !isApp(test))];
  }
}

module.exports = AppFirstSequencer;
