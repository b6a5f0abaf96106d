import { describe, it } from '@jest/globals';
// The system under test, complete and correct: your tests must pass against it.
//   import { isQuoteValid, PricingError, quoteCart, type CartLine, type Coupon } from '../src/pricing';
// Keep the describe() titles: the grader looks for passing tests under them.

describe('prices a cart', () => {
  // TODO: one example of a whole quote (subtotal, discount, coupon, shipping, total), in cents.
  it.todo('adds up unit price times quantity over every line, and charges shipping below the threshold');
});

describe('refuses what cannot be priced', () => {
  // TODO: an it.each table of bad lines and the error code each one gets; then the valid bounds.
  it.todo('refuses each bad line (quantity 0, negative, fractional, above the maximum; a bad price) with its code');
  it.todo('accepts the bounds of the allowed quantities, and a free item');
  it.todo('refuses an empty cart');
  it.todo('refuses a malformed coupon');
});

describe('coupons', () => {
  // TODO: what each kind of coupon takes off, its limits, and which one wins when several apply.
  it.todo('takes a percentage, or a fixed amount, off the subtotal');
  it.todo('never discounts more than the cart costs');
  it.todo('applies a coupon with a minimum spend from exactly that amount');
  it.todo('applies only the best coupon, whatever the order they come in');
});

describe('rounding and shipping', () => {
  // TODO: a table of percentages and subtotals whose exact discount ends in half a cent; the shipping threshold.
  it.todo('rounds a percentage discount once, to the nearest cent, halves up');
  it.todo('ships free from the threshold, judged after the discount');
});

describe('time-based rules', () => {
  // TODO: fake timers (jest.useFakeTimers with a fixed `now`): no test may depend on the real clock.
  it.todo('applies a coupon until, not at, the instant it expires');
  it.todo('reads the clock at each checkout');
  it.todo('honours a quote for 15 minutes, up to but not including its end');
});
