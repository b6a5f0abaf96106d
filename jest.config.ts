/** @jest-config-loader esbuild-register */
import path from 'node:path';
import chalk from 'chalk';
import type { Config } from 'jest';

// NO_COLOR (no-color.org) asks for plain text. Jest's chalk 4 reads only
// FORCE_COLOR, so say it to the workers (FORCE_COLOR=0 in the environment they
// inherit) and to this process's chalk, already loaded by the time this runs.
if (process.env.NO_COLOR && !process.env.FORCE_COLOR) {
  process.env.FORCE_COLOR = '0';
  chalk.level = 0;
}

/**
 * One config for learner runs, solution runs and the harness's own tests.
 * `KATA_TARGET=solutions` is read by the resolver, not here, so both runs share
 * every other setting (see harness/jest/resolver.cjs).
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/katas', '<rootDir>/harness', '<rootDir>/lib', '<rootDir>/perf'],
  testMatch: ['<rootDir>/katas/**/*.spec.ts', '<rootDir>/harness/**/*.test.ts', '<rootDir>/lib/**/*.test.ts', '<rootDir>/perf/**/*.test.ts'],
  // @swc/jest behind a cache key without the project config, so the many projects of a
  // wrong-solution or grading run share one transform cache (see the file). An absolute
  // path, because those projects have rootDirs of their own.
  transform: {
    '^.+\\.(t|j)s$': [
      path.join(__dirname, 'harness', 'jest', 'swc-transformer.cjs'),
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        // lazy: a package (mongoose, ioredis, socket.io…) is required when the code first
        // uses an import from it, not when the file loads. A spec file that imports the
        // harness's index no longer evaluates every package the index names: a third of
        // the CPU of a wrong-solution run. Relative imports stay eager.
        module: { type: 'commonjs', lazy: true },
      },
    ],
  },
  // These packages ship only ES modules (faker 10; openid-client 6 and its
  // oauth4webapi and jose, which the OAuth kata's client code imports). Jest on
  // Node 20 runs CommonJS, so SWC compiles them too (once; Jest caches the result).
  // puppeteer-core 25 (Firefox over WebDriver BiDi) and its @puppeteer/browsers and
  // chromium-bidi are ES modules as well.
  transformIgnorePatterns: [
    '/node_modules/(?!(@faker-js/faker|openid-client|oauth4webapi|jose|puppeteer-core|@puppeteer/browsers|chromium-bidi)/)',
  ],
  resolver: '<rootDir>/harness/jest/resolver.cjs',
  // Jest's default output, calmer when many specs fail (see the reporter), Jest's
  // summary, and each kata's results in .kata/progress.json for `npm run kata -- list`.
  reporters: ['<rootDir>/harness/jest/calm-reporter.cjs', 'summary', '<rootDir>/harness/cli/progress-reporter.cjs'],
  // On a fresh clone, the testing katas' grade specs (the longest) first: see the file.
  testSequencer: '<rootDir>/harness/jest/gradings-first-sequencer.cjs',
  globalSetup: '<rootDir>/harness/jest/global-setup.ts',
  globalTeardown: '<rootDir>/harness/jest/global-teardown.ts',
  testTimeout: 20_000,
  // Specs start servers and databases; two workers match the two cores CI has.
  maxWorkers: process.env.CI ? 2 : '50%',
};

export default config;
