import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { isQuoteValid, PricingError, quoteCart, type CartLine, type Coupon } from '../../unit-tests/src/pricing';

// One line per test unless the test is about several; its price is the subtotal we want.
const line = (unitPriceCents: number, overrides: Partial<CartLine> = {}): CartLine => ({ sku: 'LAMP', unitPriceCents, quantity: 1, ...overrides });
const percent = (value: number, rules: Partial<Coupon> = {}): Coupon => ({ code: `P${value}`, kind: 'percent', percent: value, ...rules }) as Coupon;
const fixed = (amountCents: number, rules: Partial<Coupon> = {}): Coupon => ({ code: `F${amountCents}`, kind: 'fixed', amountCents, ...rules }) as Coupon;

/** What `act` threw, failing the test unless it threw a PricingError. */
function refusal(act: () => unknown): PricingError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(PricingError);
    return error as PricingError;
  }
  throw new Error('expected a PricingError, but nothing was thrown');
}

describe('prices a cart', () => {
  it('sums every line, takes no discount without a coupon, and adds shipping below the threshold', () => {
    const quote = quoteCart([line(7_25, { quantity: 3 }), line(1_99, { sku: 'BULB', quantity: 2 })]);

    expect(quote).toMatchObject({ subtotalCents: 25_73, discountCents: 0, couponCode: null, shippingCents: 4_99, totalCents: 30_72 });
  });
});

describe('refuses what cannot be priced', () => {
  // The code is what a caller branches on; the message is what a person reads in a log, so it names the culprit.
  it.each([
    ['quantity 0', line(5_00, { quantity: 0 }), 'INVALID_QUANTITY', ['0', 'LAMP']],
    ['a negative quantity', line(5_00, { quantity: -2 }), 'INVALID_QUANTITY', ['-2', 'LAMP']],
    ['a fractional quantity', line(5_00, { quantity: 2.5 }), 'INVALID_QUANTITY', ['2.5', 'LAMP']],
    ['quantity 100', line(5_00, { quantity: 100 }), 'INVALID_QUANTITY', ['100', 'LAMP']],
    ['a negative price', line(-5), 'INVALID_PRICE', ['-5', 'LAMP']],
    ['a price in fractions of a cent', line(4.5), 'INVALID_PRICE', ['4.5', 'LAMP']],
  ])('refuses %s with %s, naming the value and the item', (_case, bad, code, named) => {
    const error = refusal(() => quoteCart([line(1_00, { sku: 'FINE' }), bad]));

    expect(error).toMatchObject({ name: 'PricingError', code });
    for (const fragment of named) expect(error.message).toContain(fragment);
  });

  it.each([
    ['quantity 1', line(5_00, { quantity: 1 }), 5_00],
    ['quantity 99', line(5_00, { quantity: 99 }), 495_00],
    ['a free item', line(0), 0],
  ])('accepts %s, the edge of what is allowed', (_case, edge, subtotal) => {
    expect(quoteCart([edge]).subtotalCents).toBe(subtotal);
  });

  it('refuses an empty cart with EMPTY_CART and says why', () => {
    const error = refusal(() => quoteCart([]));

    expect(error.code).toBe('EMPTY_CART');
    expect(error.message).toMatch(/at least one line/);
  });

  it.each([
    ['0%', percent(0, { code: 'BROKEN' })],
    ['101%', percent(101, { code: 'BROKEN' })],
    ['7.5%', percent(7.5, { code: 'BROKEN' })],
    ['0 cents', fixed(0, { code: 'BROKEN' })],
    ['2.5 cents', fixed(2.5, { code: 'BROKEN' })],
  ])('refuses a coupon of %s with INVALID_COUPON, naming it, even beside a good one', (_case, bad) => {
    const error = refusal(() => quoteCart([line(80_00)], [fixed(1_00), bad]));

    expect(error.code).toBe('INVALID_COUPON');
    expect(error.message).toContain('"BROKEN"');
  });

  it.each([
    ['1%', percent(1), 80],
    ['1 cent', fixed(1), 1],
  ])('accepts the smallest coupon, %s', (_case, smallest, discount) => {
    expect(quoteCart([line(80_00)], [smallest]).discountCents).toBe(discount);
  });
});

describe('coupons', () => {
  it.each([
    ['25% of 80.00', percent(25), 20_00, 60_00],
    ['100% of 80.00, leaving shipping to pay', percent(100), 80_00, 4_99],
    ['7.00 off 80.00', fixed(7_00), 7_00, 73_00],
    ['90.00 off 80.00, capped at the cart, leaving shipping to pay', fixed(90_00), 80_00, 4_99],
  ])('takes %s', (_case, coupon, discount, total) => {
    expect(quoteCart([line(80_00)], [coupon])).toMatchObject({ discountCents: discount, couponCode: coupon.code, totalCents: total });
  });

  it.each([
    [39_99, 0, null],
    [40_00, 3_00, 'OVER40'],
  ])('with a minimum spend of 40.00, a subtotal of %i cents gets %i cents off', (subtotal, discount, code) => {
    expect(quoteCart([line(subtotal)], [fixed(3_00, { code: 'OVER40', minSubtotalCents: 40_00 })])).toMatchObject({ discountCents: discount, couponCode: code });
  });

  it.each([
    ['best first', [percent(15, { code: 'BEST' }), fixed(9_00, { code: 'LESS' })]],
    ['best last', [fixed(9_00, { code: 'LESS' }), percent(15, { code: 'BEST' })]],
  ])('applies only the best of two coupons, %s', (_order, coupons) => {
    expect(quoteCart([line(80_00)], coupons)).toMatchObject({ discountCents: 12_00, couponCode: 'BEST' });
  });

  it('keeps the first of two coupons worth the same', () => {
    expect(quoteCart([line(80_00)], [fixed(8_00, { code: 'EARLY' }), percent(10, { code: 'LATE' })]).couponCode).toBe('EARLY');
  });
});

describe('rounding and shipping', () => {
  // Each row's exact discount is a half cent or within a float's error of one.
  it.each([
    [10, 24_64, 2_46], // 246.4 rounds down
    [10, 24_65, 2_47], // 246.5: a half rounds up
    [35, 3_50, 1_23], // 122.5, yet 350 * 0.35 is 122.49999…
    [35, 23_50, 8_23], // 822.5, the same trap
    [20, 24_65, 4_93], // 493 exactly
  ])('%i%% of %i cents takes %i cents off', (rate, subtotal, discount) => {
    expect(quoteCart([line(subtotal)], [percent(rate)]).discountCents).toBe(discount);
  });

  it.each([
    [49_99, 4_99, 54_98],
    [50_00, 0, 50_00],
  ])('a cart of %i cents ships for %i cents, %i in all', (subtotal, shipping, total) => {
    expect(quoteCart([line(subtotal)])).toMatchObject({ shippingCents: shipping, totalCents: total });
  });

  it('judges free shipping on what is paid after the discount', () => {
    expect(quoteCart([line(52_00)], [fixed(2_01)])).toMatchObject({ shippingCents: 4_99, totalCents: 54_98 });
  });
});

describe('time-based rules', () => {
  const expiresAtNoon = fixed(5_00, { code: 'MORNING', expiresAt: new Date('2026-06-01T12:00:00.000Z') });

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-06-01T08:00:00.000Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([
    ['a millisecond before it expires', '2026-06-01T11:59:59.999Z', 'MORNING'],
    ['at the instant it expires', '2026-06-01T12:00:00.000Z', 'ALWAYS'],
  ])('%s, a coupon gives way to the next best: %s', (_when, now, code) => {
    jest.setSystemTime(new Date(now));

    expect(quoteCart([line(20_00)], [expiresAtNoon, fixed(1_00, { code: 'ALWAYS' })]).couponCode).toBe(code);
  });

  it('stamps each quote with the clock at its own checkout, plus 15 minutes', () => {
    const morning = quoteCart([line(20_00)]);
    jest.setSystemTime(new Date('2026-06-01T17:30:00.000Z'));
    const evening = quoteCart([line(20_00)]);

    expect(morning.validUntil).toEqual(new Date('2026-06-01T08:15:00.000Z'));
    expect(evening.validUntil).toEqual(new Date('2026-06-01T17:45:00.000Z'));
  });

  it('honours a quote until, and not at, the end of its 15 minutes', () => {
    const quote = quoteCart([line(20_00)]);

    jest.advanceTimersByTime(14 * 60 * 1000 + 59_999);
    expect(isQuoteValid(quote)).toBe(true);
    jest.advanceTimersByTime(1);
    expect(isQuoteValid(quote)).toBe(false);
  });
});
