/**
 * Prices a shopping cart: the subtotal, the best of the customer's coupons,
 * shipping, and a quote the shop honours for 15 minutes.
 *
 * Money is integer cents from end to end: a float never reaches a total, and
 * the one division (a percentage) is rounded once, on the subtotal, to the
 * nearest cent with halves rounded up.
 */

/** The most of one item a line may hold. */
export const MAX_QUANTITY = 99;
/** Orders from this amount (after the discount) ship free. */
export const FREE_SHIPPING_FROM_CENTS = 50_00;
export const SHIPPING_CENTS = 4_99;
/** How long a quote's prices are honoured. */
export const QUOTE_VALIDITY_MS = 15 * 60 * 1000;

export type PricingErrorCode = 'EMPTY_CART' | 'INVALID_QUANTITY' | 'INVALID_PRICE' | 'INVALID_COUPON';

/** A cart or a coupon the pricing cannot work with; `code` says which rule it broke. */
export class PricingError extends Error {
  constructor(
    readonly code: PricingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PricingError';
  }
}

export interface CartLine {
  sku: string;
  unitPriceCents: number;
  quantity: number;
}

interface CouponRules {
  code: string;
  /** The coupon applies only from this subtotal (inclusive). */
  minSubtotalCents?: number;
  /** The coupon stops applying at this instant (exclusive: at `expiresAt` it is expired). */
  expiresAt?: Date;
}

/** `percent` off the subtotal (1–100), or a fixed amount off (never more than the subtotal). */
export type Coupon = CouponRules & ({ kind: 'percent'; percent: number } | { kind: 'fixed'; amountCents: number });

export interface Quote {
  subtotalCents: number;
  discountCents: number;
  /** The coupon applied, or null when none applies. */
  couponCode: string | null;
  shippingCents: number;
  totalCents: number;
  /** The instant the quote stops being honoured. */
  validUntil: Date;
}

/**
 * Prices `lines` with the single best coupon that applies (coupons never
 * stack; on a tie the first one given wins). Throws a PricingError for an
 * empty cart, a bad line or a malformed coupon.
 *
 * @example
 *   quoteCart([{ sku: 'MUG', unitPriceCents: 12_00, quantity: 2 }], [{ code: 'TEN', kind: 'percent', percent: 10 }]);
 *   // → subtotal 2400, discount 240, shipping 499, total 2659
 */
export function quoteCart(lines: CartLine[], coupons: Coupon[] = []): Quote {
  if (lines.length === 0) throw new PricingError('EMPTY_CART', 'A cart needs at least one line to be priced.');
  lines.forEach(validateLine);
  coupons.forEach(validateCoupon);

  const now = Date.now();
  const subtotalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const best = bestCoupon(coupons, subtotalCents, now);
  const discountCents = best?.discountCents ?? 0;
  const discountedCents = subtotalCents - discountCents;
  // The threshold is judged on what the customer pays for the goods, after the discount.
  const shippingCents = discountedCents >= FREE_SHIPPING_FROM_CENTS ? 0 : SHIPPING_CENTS;

  return {
    subtotalCents,
    discountCents,
    couponCode: best?.code ?? null,
    shippingCents,
    totalCents: discountedCents + shippingCents,
    validUntil: new Date(now + QUOTE_VALIDITY_MS),
  };
}

/** Whether the shop still honours `quote` now (until, not including, `validUntil`). */
export function isQuoteValid(quote: Quote): boolean {
  return Date.now() < quote.validUntil.getTime();
}

function validateLine(line: CartLine): void {
  if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
    throw new PricingError('INVALID_QUANTITY', `Quantity ${line.quantity} of "${line.sku}" must be a whole number from 1 to ${MAX_QUANTITY}.`);
  }
  if (!Number.isInteger(line.unitPriceCents) || line.unitPriceCents < 0) {
    throw new PricingError('INVALID_PRICE', `Unit price ${line.unitPriceCents} of "${line.sku}" must be a whole number of cents, 0 or more.`);
  }
}

function validateCoupon(coupon: Coupon): void {
  const valid =
    coupon.kind === 'percent'
      ? Number.isInteger(coupon.percent) && coupon.percent >= 1 && coupon.percent <= 100
      : Number.isInteger(coupon.amountCents) && coupon.amountCents >= 1;
  if (!valid) throw new PricingError('INVALID_COUPON', `Coupon "${coupon.code}" has an impossible value.`);
}

function bestCoupon(coupons: Coupon[], subtotalCents: number, now: number): { code: string; discountCents: number } | undefined {
  let best: { code: string; discountCents: number } | undefined;
  for (const coupon of coupons) {
    const discountCents = discountOf(coupon, subtotalCents, now);
    if (discountCents !== undefined && (!best || discountCents > best.discountCents)) {
      best = { code: coupon.code, discountCents };
    }
  }
  return best;
}

/** The discount `coupon` gives on `subtotalCents` at `now`, or undefined when it does not apply. */
function discountOf(coupon: Coupon, subtotalCents: number, now: number): number | undefined {
  if (coupon.expiresAt && now >= coupon.expiresAt.getTime()) return undefined;
  if (subtotalCents < (coupon.minSubtotalCents ?? 0)) return undefined;
  if (coupon.kind === 'fixed') return Math.min(coupon.amountCents, subtotalCents);
  // Multiply before dividing: `subtotal * (percent / 100)` is a float that lands
  // just under a half (35% of 350 gives 122.49999…) and loses a cent.
  return Math.round((subtotalCents * coupon.percent) / 100);
}
