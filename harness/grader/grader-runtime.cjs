// @ts-check
/**
 * The module runtime of the grader's Jest child: Jest's own, with two differences.
 *
 * The grading's salt: the salted copies of the app and the mutants (salt.ts) are compiled
 * with a placeholder where their salt goes (harness/jest/swc-transformer.cjs says why), and
 * this writes the grading's salt in its place as each copy's code is loaded, so that the
 * code a test can see (a function's `toString()`) carries the salt its file does. The
 * grading names it in the project's `testEnvironmentOptions.salt` (run-suites.ts).
 *
 * Shared packages, when a kata names `sharedPackages` (GradeOptions in grade.ts):
 * those packages are loaded once per worker process, by Node's require, and the same
 * copy serves every suite the worker runs, instead of a fresh copy in each suite's module
 * registry.
 *
 * Why: a grading runs the learner's test file once per suite (the real app, each
 * mutant), and a test file that starts the kata's Express app evaluated Express again
 * each time: 127 modules, about 210 ms of CPU a suite, measured in the cross-browser
 * kata's worker on this project's 2-core machine, the most of any package (Jest's own
 * `expect` came next, at 140 ms). Twenty suites a grading made it 4 CPU-seconds.
 *
 * What makes a package safe to share: no mutant changes it (mutants patch `src/`
 * only), it keeps nothing of one app at module level (Express keeps its apps in the
 * objects `express()` returns), and the learner's tests have no reason to spy on it.
 * A test file that mocks it (`jest.mock('express')`) still gets its mock: that is
 * asked first. Two things differ from Jest's own loading, which is why a kata opts in:
 * the package's objects come from Node's realm, not the test's (an `instanceof Error`
 * in the test is false for its errors), and Jest's fake timers do not reach its timers.
 *
 * Reads the list from the project's `testEnvironmentOptions.sharedPackages`
 * (run-suites.ts writes it there beside the suite's other options).
 */
const Runtime = require('jest-runtime').default;
const { gradingCopyOf, saltPlaceholder } = require('../jest/swc-transformer.cjs');

class GraderRuntime extends Runtime {
  /** @param {ConstructorParameters<typeof Runtime>} args */
  constructor(...args) {
    super(...args);
    const [config, , resolver] = args;
    const listed = config.testEnvironmentOptions.sharedPackages;
    /** @type {ReadonlySet<unknown>} */
    this.sharedPackages = new Set(Array.isArray(listed) ? listed : []);
    this.sharedResolver = resolver;
    const salt = config.testEnvironmentOptions.salt;
    if (typeof salt === 'string') this.saltCompiledCopies(`salt:${salt}`);
  }

  /**
   * Jest compiles each module's code in its module executor (jest-runtime 30): the salt goes
   * into a copy's code just before. Jest's internals are not an API, so a version that moved
   * this fails here, at once, rather than grade with the placeholder in the code.
   *
   * @param {string} salt
   */
  saltCompiledCopies(salt) {
    /** @type {{ compile?: (source: string, filename: string) => unknown } | undefined} */
    const executor = /** @type {any} */ (this).executor;
    if (typeof executor?.compile !== 'function') {
      throw new Error("The grader's runtime finds no module executor with a compile() in this version of jest-runtime: see harness/grader/grader-runtime.cjs.");
    }
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => compile(gradingCopyOf(filename) ? source.replaceAll(saltPlaceholder, salt) : source, filename);
  }

  /**
   * @param {string} from
   * @param {string} moduleName
   */
  requireModuleOrMock(from, moduleName) {
    if (this.sharedPackages.has(moduleName) && !this.mockState.shouldMockCjs(from, moduleName).shouldMock) {
      // Resolved as Jest would (from a mutant's overlay too), then Node's cache holds one copy per worker.
      return require(this.sharedResolver.resolveModule(from, moduleName));
    }
    return super.requireModuleOrMock(from, moduleName);
  }
}

module.exports = GraderRuntime;
