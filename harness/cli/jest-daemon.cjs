// @ts-check
/**
 * A long-lived Jest for watch and dojo: the parent forks this once, then asks
 * it to run a kata's spec files. Jest's own modules, config and haste map stay
 * warm between runs, so a run after a save costs about what the spec file
 * itself takes (a fresh `jest` process adds about a second on top).
 * Each run still gets a fresh module registry, so the learner's edits are seen.
 *
 * Protocol (process.send): in  { id, files, testNamePattern?, testTimeout? }
 *   out  { id, started: { file, name } }* and { id, case: {…} }* then { id, results } or { id, error }
 * Plain CommonJS so it forks without a TypeScript loader.
 */
const path = require('node:path');

const cwd = process.cwd();
const { runCLI } = require(require.resolve('jest', { paths: [cwd] }));
const streamReporter = path.join(__dirname, 'jest-daemon-reporter.cjs');

/** @param {any} results */
function slim(results) {
  return {
    testResults: results.testResults.map((/** @type {any} */ suite) => ({
      testFilePath: suite.testFilePath,
      failureMessage: suite.failureMessage ?? null,
      testExecError: suite.testExecError ? { message: String(suite.testExecError.message ?? '') } : null,
      testResults: suite.testResults.map((/** @type {any} */ t) => ({ fullName: t.fullName, status: t.status, failureMessages: t.failureMessages })),
    })),
  };
}

let queue = Promise.resolve();
process.on('message', (/** @type {{ id: number, files: string[], testNamePattern?: string, testTimeout?: number }} */ message) => {
  queue = queue.then(async () => {
    try {
      process.env.KATA_CURRENT_RUN = String(message.id);
      const { results, globalConfig } = await runCLI(
        // `reporters` replaces the config's list, so keep the progress reporter explicitly.
        {
          _: message.files,
          $0: 'kata',
          runTestsByPath: true,
          runInBand: true,
          ci: true,
          silent: true,
          watchman: false,
          ...(message.testNamePattern ? { testNamePattern: message.testNamePattern } : {}),
          // Past the parent's watchdog, which names the spec a hung run was on.
          ...(message.testTimeout ? { testTimeout: message.testTimeout } : {}),
          reporters: [streamReporter, path.join(__dirname, 'progress-reporter.cjs')],
        },
        [cwd],
      );
      void globalConfig;
      process.send?.({ id: message.id, results: slim(results) });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
