import { describe, it } from '@jest/globals';
import { useGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/: they must pass against src/ (which is correct)
 * and fail against each mutant in mutants/, a copy of src/ with one bug.
 */
const grader = useGrader(__dirname, { redis: true });

describe('1. Tests that pass on the real app', () => {
  it('every test file loads and every test passes against src/', () => grader.expectGreenOnApp());
});

describe('2. Registration', () => {
  it('has tests under "registration"', () => grader.expectTestsUnder('registration'));
  grader.itCatchesMutants(['password-hash-leaked', 'duplicate-email-race', 'user-saved-before-password-check']);
});

describe('3. Sign-in and protected routes', () => {
  it('has tests under "sign-in"', () => grader.expectTestsUnder('sign-in'));
  grader.itCatchesMutants(['unknown-email-told-apart', 'expired-token-accepted']);
});

describe('4. Notes: ownership, validation and errors', () => {
  it('has tests under "notes"', () => grader.expectTestsUnder('notes'));
  grader.itCatchesMutants(['owner-taken-from-body', 'save-not-awaited', 'malformed-id-500', 'other-users-note-editable', 'update-not-validated']);
});

describe('5. Pagination', () => {
  it('has tests under "pagination"', () => grader.expectTestsUnder('pagination'));
  grader.itCatchesMutants(['page-off-by-one', 'total-counts-everyone']);
});

describe('6. The cache, seen through the API', () => {
  it('has tests under "cache"', () => grader.expectTestsUnder('cache'));
  grader.itCatchesMutants(['stale-after-update', 'cache-skips-ownership']);
});
