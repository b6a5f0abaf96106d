// @ts-check
/**
 * Jest's own order (failed first, then longest first by the durations it cached),
 * except for spec files it has no duration for yet (a fresh clone, CI): there Jest
 * falls back to file size, which put the testing katas' grade specs, small files
 * and the longest runs of all (each grades a kata in a Jest child of its own), last,
 * so a fresh clone's whole run waited minutes for the two browser gradings at the
 * end. Without a duration, grade specs go first, those that drive browsers first of
 * all.
 */
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const gradeSpec = /[\\/]katas[\\/]testing[\\/][^\\/]+[\\/]grade\.spec\.ts$/;

/** @param {string} file */
function weightWithoutDuration(file) {
  if (!gradeSpec.test(file)) return 0;
  return /\bbrowsers\s*:/.test(fs.readFileSync(file, 'utf8')) ? 2 : 1;
}

class GradingsFirstSequencer extends Sequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const sorted = /** @type {import('@jest/test-result').Test[]} */ (super.sort(tests));
    const weight = (/** @type {import('@jest/test-result').Test} */ test) => (test.duration == null ? weightWithoutDuration(test.path) : 0);
    // Array.prototype.sort is stable: within a weight, Jest's order stays.
    return [...sorted].sort((a, b) => weight(b) - weight(a));
  }
}

module.exports = GradingsFirstSequencer;
