import { beforeEach, expect } from '@jest/globals';

/**
 * Loaded before every learner test file the grader runs: a test that makes no
 * assertion fails instead of passing by doing nothing. supertest's own
 * `.expect(200)` does not count; assert with Jest's `expect`.
 */
beforeEach(() => {
  expect.hasAssertions();
});
