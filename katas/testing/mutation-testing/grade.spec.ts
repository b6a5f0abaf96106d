import { describe, it } from '@jest/globals';
import { useStrykerGrader } from '../../../harness';

/**
 * Grades YOUR tests in tests/ with StrykerJS: it mutates the unit-tests kata's
 * pricing module (about a hundred mutants) and runs your tests against each one.
 * The options are fixed (harness/grader/stryker-options.cjs, the same as
 * stryker.config.mjs here); a mutant your tests let through is listed with its
 * place, its mutator, and the code it changed.
 */
const stryker = useStrykerGrader(__dirname, { mutate: ['katas/testing/unit-tests/src/pricing.ts'] });

describe('1. Tests that pass on the real code', () => {
  it("Stryker's initial run passes: every test passes on the real module and asserts something", () => stryker.expectGreenInitialRun());
});

describe('2. A mutation score of at least 90%', () => {
  it('kills at least 90% of the mutants', () => stryker.expectScoreAtLeast(90));
});

describe('3. Every refusal pinned down', () => {
  it('kills every mutant in PricingError, validateLine and validateCoupon', stryker.killsEveryMutantIn(['PricingError', 'validateLine', 'validateCoupon']));
});

describe('4. Every coupon rule pinned down', () => {
  it('kills every mutant in bestCoupon and discountOf', stryker.killsEveryMutantIn(['bestCoupon', 'discountOf']));
});

describe('5. Every total and every instant pinned down', () => {
  it('kills every mutant in quoteCart, isQuoteValid and QUOTE_VALIDITY_MS', stryker.killsEveryMutantIn(['quoteCart', 'isQuoteValid', 'QUOTE_VALIDITY_MS']));
});
