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

describe('2. Refuse what cannot be priced', () => {
  it('has tests under "refuses what cannot be priced"', () => grader.expectTestsUnder('refuses what cannot be priced'));
  grader.itCatchesMutants([
    'empty-cart-priced',
    'quantity-zero-accepted',
    'max-quantity-refused',
    'fractional-quantity-accepted',
    'quantity-error-code',
    'free-item-refused',
    'percent-over-100-accepted',
  ]);
});

describe('3. Coupons', () => {
  it('has tests under "coupons"', () => grader.expectTestsUnder('coupons'));
  grader.itCatchesMutants(['fixed-coupon-exceeds-subtotal', 'minimum-spend-exclusive', 'coupons-stack', 'first-coupon-wins']);
});

describe('4. Rounding and shipping', () => {
  it('has tests under "rounding and shipping"', () => grader.expectTestsUnder('rounding and shipping'));
  grader.itCatchesMutants(['percent-float-fraction', 'percent-rounded-down', 'free-shipping-threshold-exclusive', 'free-shipping-before-discount']);
});

describe('5. Time-based rules', () => {
  it('has tests under "time-based rules"', () => grader.expectTestsUnder('time-based rules'));
  grader.itCatchesMutants(['coupon-valid-at-expiry', 'clock-read-once', 'quote-valid-900-ms', 'quote-valid-at-expiry']);
});
