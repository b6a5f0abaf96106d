// @ts-check
/**
 * The order of the grader's suites: the real app first, since it runs every test
 * while a mutant's suite stops at its first failure (harness/jest/first-failure-environment.cjs,
 * whose marker file its testEnvironmentOptions name);
 * started last, it would leave the other workers idle at the end. Then the suites of
 * mutants that run in a browser other than Chromium (a Firefox or WebKit page round
 * takes longer), so that no long suite starts last either. Within each, the longest
 * first, once a grading before has timed them (cacheResults below), so a mutant whose
 * catching test waits out its limit never starts last.
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
  /** @param {ConstructorParameters<typeof Sequencer>[0]} options */
  constructor(options) {
    super(options);
    this.options = options;
  }

  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    // Jest's sort reads each suite's time from its cache into test.duration (unknown on a first grading).
    const sorted = await super.sort(tests);
    // Then the longest first within a rank, whether it failed last time or not (Jest puts failed
    // suites first, for quick news; a grading waits for all). Array.prototype.sort is stable:
    // suites with no time keep Jest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b) || (b.duration ?? 0) - (a.duration ?? 0));
  }

  /**
   * Jest's own cacheResults matches each result to a test by file path alone; here every
   * suite runs the same test files (one project per mutant), so each time landed in one
   * project's cache, the others stayed empty, and the sort above never knew how long a
   * mutant took. Given one project at a time, Jest's bookkeeping files each time where it belongs:
   * a bookkeeper of its own per project, since Jest's writes the file of every project it has
   * read each time it is called (30 projects: 900 writes, 130 ms at the end of each grading).
   *
   * @param {import('@jest/test-result').Test[]} tests
   * @param {import('@jest/test-result').AggregatedResult} results
   */
  cacheResults(tests, results) {
    for (const [project, projectTests] of groupBy(tests, (test) => projectName(test.context.config.displayName))) {
      const testResults = results.testResults.filter((result) => projectName(result.displayName) === project);
      new Sequencer(this.options).cacheResults(projectTests, { ...results, testResults });
    }
  }
}

/** @param {{ name: string } | string | undefined} displayName */
function projectName(displayName) {
  return typeof displayName === 'object' ? displayName.name : displayName;
}

/**
 * @template T
 * @param {T[]} items
 * @param {(item: T) => string | undefined} keyOf
 */
function groupBy(items, keyOf) {
  /** @type {Map<string | undefined, T[]>} */
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

module.exports = AppFirstSequencer;
