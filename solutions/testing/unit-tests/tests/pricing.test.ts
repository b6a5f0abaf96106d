import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { isQuoteValid, PricingError, quoteCart, type CartLine, type Coupon } from '../src/pricing';

// Builders: the override is what the test is about; everything else is a plausible default.
const mug = (overrides: Partial<CartLine> = {}): CartLine => ({ sku: 'MUG', unitPriceCents: 12_00, quantity: 1, ...overrides });
const percentOff = (percent: number, overrides: Partial<Coupon> = {}): Coupon =>
  ({ code: `PCT${percent}`, kind: 'percent', percent, ...overrides }) as Coupon;
const amountOff = (amountCents: number, overrides: Partial<Coupon> = {}): Coupon =>
  ({ code: `OFF${amountCents}`, kind: 'fixed', amountCents, ...overrides }) as Coupon;
/** One line whose subtotal is exactly `cents`. */
const cartOf = (cents: number): CartLine[] => [mug({ unitPriceCents: cents })];

/** The code of the PricingError `act` throws; fails the test if it throws anything else or nothing. */
function errorCodeOf(act: () => unknown): string {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PricingError);
  return (thrown as PricingError).code;
}

describe('prices a cart', () => {
  it('adds up unit price times quantity over every line, and charges shipping below the threshold', () => {
    const quote = quoteCart([mug({ quantity: 2 }), mug({ sku: 'TEA', unitPriceCents: 3_45, quantity: 3 })]);

    expect(quote).toMatchObject({ subtotalCents: 34_35, discountCents: 0, couponCode: null, shippingCents: 4_99, totalCents: 39_34 });
  });
});

describe('refuses what cannot be priced', () => {
  it.each([
    ['a quantity of 0', mug({ quantity: 0 }), 'INVALID_QUANTITY'],
    ['a negative quantity', mug({ quantity: -1 }), 'INVALID_QUANTITY'],
    ['a fractional quantity', mug({ quantity: 1.5 }), 'INVALID_QUANTITY'],
    ['a quantity above 99', mug({ quantity: 100 }), 'INVALID_QUANTITY'],
    ['a negative price', mug({ unitPriceCents: -1 }), 'INVALID_PRICE'],
    ['a price in fractions of a cent', mug({ unitPriceCents: 12.5 }), 'INVALID_PRICE'],
  ])('refuses %s with %s', (_case, line, code) => {
    expect(errorCodeOf(() => quoteCart([line]))).toBe(code);
  });

  it.each([1, 99])('accepts a quantity of %i, a bound of the allowed range', (quantity) => {
    expect(quoteCart([mug({ quantity })]).subtotalCents).toBe(12_00 * quantity);
  });

  it('accepts a free item', () => {
    expect(quoteCart([mug({ unitPriceCents: 0 })]).subtotalCents).toBe(0);
  });

  it('refuses an empty cart with EMPTY_CART', () => {
    expect(errorCodeOf(() => quoteCart([]))).toBe('EMPTY_CART');
  });

  it.each([
    ['0%', percentOff(0)],
    ['101%', percentOff(101)],
    ['12.5%', percentOff(12.5)],
    ['0 cents off', amountOff(0)],
  ])('refuses a coupon of %s as INVALID_COUPON, even next to a valid one', (_case, coupon) => {
    expect(errorCodeOf(() => quoteCart(cartOf(100_00), [percentOff(10), coupon]))).toBe('INVALID_COUPON');
  });
});

describe('coupons', () => {
  it('takes a percentage off the subtotal and names the coupon applied', () => {
    expect(quoteCart(cartOf(24_00), [percentOff(10, { code: 'TEN' })])).toMatchObject({ discountCents: 2_40, couponCode: 'TEN' });
  });

  it('takes 100% off everything but shipping', () => {
    expect(quoteCart(cartOf(24_00), [percentOff(100)])).toMatchObject({ discountCents: 24_00, totalCents: 4_99 });
  });

  it('takes a fixed amount off', () => {
    expect(quoteCart(cartOf(24_00), [amountOff(5_00)])).toMatchObject({ discountCents: 5_00, totalCents: 23_99 });
  });

  it('never discounts more than the cart costs', () => {
    const quote = quoteCart(cartOf(12_00), [amountOff(50_00)]);

    expect(quote).toMatchObject({ discountCents: 12_00, shippingCents: 4_99, totalCents: 4_99 });
  });

  it.each([
    [49_99, 0, null],
    [50_00, 5_00, 'SPEND50'],
  ])('with a minimum spend of 50.00, a subtotal of %i gets a discount of %i', (subtotal, discount, code) => {
    const quote = quoteCart(cartOf(subtotal), [amountOff(5_00, { code: 'SPEND50', minSubtotalCents: 50_00 })]);

    expect(quote).toMatchObject({ discountCents: discount, couponCode: code });
  });

  it.each([
    ['worth more first', [percentOff(20, { code: 'TWENTY' }), amountOff(5_00, { code: 'FIVER' })]],
    ['worth more last', [amountOff(5_00, { code: 'FIVER' }), percentOff(20, { code: 'TWENTY' })]],
  ])('applies only the coupon worth more, whether it comes %s', (_order, coupons) => {
    expect(quoteCart(cartOf(40_00), coupons)).toMatchObject({ discountCents: 8_00, couponCode: 'TWENTY' });
  });

  it('on a tie, keeps the first coupon given', () => {
    const quote = quoteCart(cartOf(50_00), [percentOff(10, { code: 'FIRST' }), amountOff(5_00, { code: 'SECOND' })]);

    expect(quote).toMatchObject({ discountCents: 5_00, couponCode: 'FIRST' });
  });
});

describe('rounding and shipping', () => {
  // Halves are where rounding bugs live: each row's exact discount ends in .5 or close to it.
  it.each([
    [10, 12_34, 1_23], // 123.4   → down
    [10, 12_35, 1_24], // 123.5   → a half rounds up
    [15, 10_50, 1_58], // 157.5
    [35, 3_50, 1_23], // 122.5: as a float fraction, 350 * 0.35 is 122.49999…
    [35, 13_50, 4_73], // 472.5, same trap
    [33, 10_00, 3_30], // 330 exactly
  ])('%i%% of %i cents is %i cents off, rounded once to the nearest cent', (percent, subtotal, discount) => {
    expect(quoteCart(cartOf(subtotal), [percentOff(percent)]).discountCents).toBe(discount);
  });

  it.each([
    [49_99, 4_99],
    [50_00, 0],
    [50_01, 0],
  ])('a cart of %i cents ships for %i cents', (subtotal, shipping) => {
    const quote = quoteCart(cartOf(subtotal));

    expect(quote.shippingCents).toBe(shipping);
    expect(quote.totalCents).toBe(subtotal + shipping);
  });

  it('judges free shipping on the amount after the discount', () => {
    const quote = quoteCart(cartOf(55_00), [percentOff(10)]);

    expect(quote).toMatchObject({ discountCents: 5_50, shippingCents: 4_99, totalCents: 54_49 });
  });
});

describe('time-based rules', () => {
  // A fixed instant: no test here depends on when, or how fast, it runs.
  const nine = new Date('2026-03-02T09:00:00.000Z');
  const expiringAtTen = amountOff(5_00, { code: 'MORNING', expiresAt: new Date('2026-03-02T10:00:00.000Z') });

  beforeEach(() => {
    jest.useFakeTimers({ now: nine });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('applies a coupon up to the millisecond before it expires', () => {
    jest.setSystemTime(new Date('2026-03-02T09:59:59.999Z'));

    expect(quoteCart(cartOf(20_00), [expiringAtTen]).couponCode).toBe('MORNING');
  });

  it('no longer applies it at the instant it expires, and falls back to the next best coupon', () => {
    jest.setSystemTime(new Date('2026-03-02T10:00:00.000Z'));

    expect(quoteCart(cartOf(20_00), [expiringAtTen, amountOff(1_00, { code: 'ALWAYS' })])).toMatchObject({
      discountCents: 1_00,
      couponCode: 'ALWAYS',
    });
  });

  it('reads the clock at each checkout', () => {
    const before = quoteCart(cartOf(20_00), [expiringAtTen]);
    jest.setSystemTime(new Date('2026-03-02T11:00:00.000Z'));
    const after = quoteCart(cartOf(20_00), [expiringAtTen]);

    expect(before.validUntil).toEqual(new Date('2026-03-02T09:15:00.000Z'));
    expect(before.couponCode).toBe('MORNING');
    expect(after.couponCode).toBeNull();
    expect(after.validUntil).toEqual(new Date('2026-03-02T11:15:00.000Z'));
  });

  it('honours a quote for 15 minutes, up to but not including its end', () => {
    const quote = quoteCart(cartOf(20_00));

    jest.advanceTimersByTime(15 * 60 * 1000 - 1);
    expect(isQuoteValid(quote)).toBe(true);

    jest.advanceTimersByTime(1);
    expect(isQuoteValid(quote)).toBe(false);
  });
});
