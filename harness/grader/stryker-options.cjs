// @ts-check
/**
 * The StrykerJS options of a testing kata graded by Stryker's own mutants
 * (testing/mutation-testing): one function, so that the run a learner starts
 * (`npx stryker run katas/testing/<kata>/stryker.config.mjs`) and the run the
 * grader starts are the same run. Only where it happens differs: the learner's
 * run works in Stryker's sandbox, a copy of the project; the grader's works in
 * place in a scratch copy of the kata it made itself (see stryker-grade.ts).
 *
 * Stryker drives the project's own Jest setup (jest.config.ts through
 * esbuild-register, the SWC transformer), narrowed to the kata's tests. The
 * config file is named relative to where Stryker's test runners work (the
 * sandbox, or the scratch copy), so that Jest's rootDir is that folder and the
 * mutated copy of src/ is the one the tests import. Plain CommonJS so that both
 * the kata's .mjs config and the TypeScript grader load it.
 */
const path = require('node:path');

/** The score below which the learner's own Stryker run fails (Stryker's `break` threshold), in %. */
const breakThreshold = 90;

/**
 * @param {{
 *   kata: string,              // `katas/testing/<kata>`, relative to where Stryker runs; its tests are in tests/
 *   mutate: string[],          // the files to mutate, relative to the same place
 *   tempDir: string,           // Stryker's sandboxes; outside the work tree or git-ignored
 *   reports: { json: string, html?: string },
 *   inPlace?: boolean,         // mutate the files under `root` (only in a throwaway copy)
 *   concurrency?: number,
 * }} where
 * @returns {Record<string, unknown>} StrykerJS options (stryker.config.json's schema)
 * @example
 *   strykerOptions({ kata: 'katas/testing/mutation-testing', mutate: ['katas/testing/unit-tests/src/pricing.ts'], tempDir: '.kata/stryker', reports: { json: '.kata/mutation/report.json' } });
 */
function strykerOptions({ kata, mutate, tempDir, reports, inPlace = false, concurrency = 2 }) {
  const kataDir = `<rootDir>/${kata}`;
  return {
    testRunner: 'jest',
    plugins: ['@stryker-mutator/jest-runner'],
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.ts',
      // Stryker runs Jest with this config merged over the project's.
      config: {
        roots: [kataDir],
        testMatch: [`${kataDir}/tests/**/*.test.ts`],
        // Pure logic: no MongoDB to start, and the kata's src/ is the same in every run.
        globalSetup: null,
        globalTeardown: null,
        resolver: null,
        // A test without an assertion fails, as in the other testing katas: it would "cover" mutants it cannot kill.
        setupFilesAfterEnv: [path.join(__dirname, 'require-assertions.ts')],
      },
      // Per mutant, only the test files that import the mutated file, and only the tests that reach the mutant (perTest).
      enableFindRelatedTests: true,
    },
    mutate,
    coverageAnalysis: 'perTest',
    // Every run starts afresh: a cached result could hide a test the learner removed.
    incremental: false,
    concurrency,
    // A mutant that makes a test hang is detected, but a busy machine must not turn a survivor
    // into a "timeout": the limit is generous (the tests here take milliseconds).
    timeoutMS: 10_000,
    timeoutFactor: 3,
    // SWC ignores type errors; Stryker need not add @ts-nocheck to every file it copies.
    disableTypeChecks: false,
    thresholds: { high: 100, low: breakThreshold, break: breakThreshold },
    reporters: ['clear-text', 'progress', 'json', ...(reports.html ? ['html'] : [])],
    jsonReporter: { fileName: reports.json },
    ...(reports.html ? { htmlReporter: { fileName: reports.html } } : {}),
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    tempDirName: tempDir,
    cleanTempDir: 'always',
    inPlace,
    // The sandbox holds the kata, the files to mutate and the project's Jest setup; node_modules is linked, not copied.
    ignorePatterns: keepOnly(['jest.config.ts', 'harness/jest', kata, ...mutate]),
  };
}

/**
 * gitignore rules (Stryker's ignorePatterns) that leave out everything but `paths`
 * and the folders leading to them: `['a/b/c']` → `/*`, `!/a`, `/a/*`, `!/a/b`, `/a/b/*`, `!/a/b/c`.
 * @param {string[]} paths
 */
function keepOnly(paths) {
  const rules = ['/*'];
  for (const kept of paths) {
    const parts = kept.split('/');
    for (let i = 1; i <= parts.length; i += 1) {
      const folder = parts.slice(0, i - 1).join('/');
      if (i > 1) rules.push(`/${folder}/*`);
      rules.push(`!/${parts.slice(0, i).join('/')}`);
    }
  }
  return [...new Set(rules)];
}

module.exports = { strykerOptions, breakThreshold };
