import { describe, it } from '@jest/globals';
// The module under test is the unit-tests kata's, complete and correct:
//   import { isQuoteValid, PricingError, quoteCart, type CartLine, type Coupon } from '../../unit-tests/src/pricing';
// Your suite from that kata is a good start: copy it here, run Stryker, and read what survives.
//   npx stryker run katas/testing/mutation-testing/stryker.config.mjs

describe('prices a cart', () => {
  // TODO: one whole quote in cents, with the fields a caller reads (subtotal, discount, coupon, shipping, total).
  it.todo('sums every line, takes no discount without a coupon, and adds shipping below the threshold');
});

describe('refuses what cannot be priced', () => {
  // TODO: a table of bad lines and coupons, each with its code AND what its message must name; the smallest values allowed.
  it.todo('refuses each bad line with its code, naming the value and the item');
  it.todo('accepts the edges of what is allowed');
  it.todo('refuses an empty cart, and says why');
  it.todo('refuses each malformed coupon, naming it, and accepts the smallest valid ones');
});

describe('coupons', () => {
  // TODO: what each kind takes off, the cap, the minimum spend on both sides, the best coupon in either order, a tie.
  it.todo('takes a percentage, or a fixed amount capped at the cart, off the subtotal');
  it.todo('applies a minimum spend from exactly that amount');
  it.todo('applies only the best coupon, whatever the order; the first on a tie');
});

describe('rounding and shipping', () => {
  // TODO: percentages whose exact discount ends in half a cent; the free-shipping threshold, after the discount.
  it.todo('rounds a percentage discount once, to the nearest cent, halves up');
  it.todo('ships free from the threshold, judged after the discount');
});

describe('time-based rules', () => {
  // TODO: jest.useFakeTimers with a fixed `now`: expiry on both sides of the instant, the quote's 15 minutes.
  it.todo('applies a coupon until, not at, the instant it expires');
  it.todo('stamps each quote with the clock at its own checkout');
  it.todo('honours a quote until, and not at, the end of its 15 minutes');
});
