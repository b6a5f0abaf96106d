// @ts-check
/**
 * The order of the grader's suites: the real app first, since it runs every test
 * while a mutant's suite stops at its first failure (harness/jest/first-failure-environment.cjs,
 * whose marker file its testEnvironmentOptions name);
 * started last, it would leave the other workers idle at the end. Then the suites of
 * mutants that run in a browser other than Chromium (a Firefox or WebKit page round
 * takes longer), so that no long suite starts last either. The rest keep Jest's own
 * order (the longest first, once Jest has timed them).
 */
const Sequencer = require('@jest/test-sequencer').default;

/** @param {import('@jest/test-result').Test} test */
function rank(test) {
  const options = test.context.config.testEnvironmentOptions;
  if (!options.failureMarker) return 0;
  const engines = options.browserEngines;
  return Array.isArray(engines) && !engines.includes('chromium') ? 1 : 2;
}

class AppFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    const sorted = await super.sort(tests);
    // Array.prototype.sort is stable: within a rank, Jest's order stays.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = AppFirstSequencer;
