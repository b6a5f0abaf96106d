// @ts-check
/**
 * The test environment of a mutant's suite: Node's, except that once a test has
 * failed the remaining tests of the file are skipped. One failing test is all it
 * takes to catch a mutant, and in a browser kata each further test costs seconds.
 * (jest-circus dispatches test_start before it decides whether a test is skipped.)
 */
const { TestEnvironment } = require('jest-environment-node');

class FirstFailureEnvironment extends TestEnvironment {
  caught = false;

  /** @param {import('@jest/types').Circus.Event} event */
  async handleTestEvent(event) {
    if (event.name === 'test_done' && event.test.errors.length > 0) this.caught = true;
    if (event.name === 'test_start' && this.caught) event.test.mode = 'skip';
  }
}

module.exports = FirstFailureEnvironment;
