import { describe, it } from '@jest/globals';
import { useGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/: they must pass against src/ (which is correct)
 * and fail against each mutant in mutants/, a copy of src/ with one bug.
 */
const grader = useGrader(__dirname);

describe('1. Tests that pass on the real app', () => {
  it('every test file loads and every test passes against src/', () => grader.expectGreenOnApp());
});

describe('2. A middleware with jest.fn()', () => {
  it('has tests under "authenticate"', () => grader.expectTestsUnder('authenticate'));
  grader.itCatchesMutants(['lowercase-scheme-refused', 'missing-token-falls-through', 'verifier-error-passed-on', 'user-not-handed-on']);
});

describe('3. Injected fakes and a spy', () => {
  it('has tests under "checkout service"', () => grader.expectTestsUnder('checkout service'));
  grader.itCatchesMutants([
    'ownership-not-checked',
    'paid-order-charged-again',
    'marked-paid-before-charge',
    'receipt-failure-fails-checkout',
    'receipt-failure-silent',
    'paid-at-system-clock',
  ]);
});

describe('4. HTTP mocked at the network layer', () => {
  it('has tests under "payments client"', () => grader.expectTestsUnder('payments client'));
  grader.itCatchesMutants([
    'amount-in-euros',
    'new-idempotency-key-per-attempt',
    'no-retry-on-503',
    'one-attempt-too-many',
    'constant-backoff',
    'retries-a-400',
    'declined-reported-as-rejected',
    'timeout-thrown-raw',
  ]);
});
