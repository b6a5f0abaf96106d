import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createCheckoutService, type Mailer, type Order, type OrderRepository } from '../src/checkout-service';
import { logger } from '../src/logger';
import { PaymentError, type PaymentsClient } from '../src/payments-client';

const pendingOrder = (overrides: Partial<Order> = {}): Order => ({
  id: 'o-1',
  userId: 'u-ada',
  email: 'ada@example.com',
  totalCents: 42_00,
  currency: 'EUR',
  status: 'pending',
  ...overrides,
});

/**
 * The service with a fake for each injected dependency: jest.fn() with the
 * real interfaces' types, so a fake cannot drift from what it stands in for.
 */
function checkoutWith(stored: Order | null) {
  const orders = {
    findById: jest.fn<OrderRepository['findById']>().mockResolvedValue(stored),
    markPaid: jest.fn<OrderRepository['markPaid']>().mockResolvedValue(undefined),
  };
  const payments = { charge: jest.fn<PaymentsClient['charge']>().mockResolvedValue({ chargeId: 'ch_1' }) };
  const mailer = { sendReceipt: jest.fn<Mailer['sendReceipt']>().mockResolvedValue(undefined) };
  const paidAt = new Date('2026-03-02T09:00:00.000Z');
  const service = createCheckoutService({ orders, payments, mailer, now: () => paidAt });
  return { service, orders, payments, mailer, paidAt };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('checkout service', () => {
  it('charges the order total, records the payment at the injected time, then mails the receipt', async () => {
    const { service, orders, payments, mailer, paidAt } = checkoutWith(pendingOrder());

    await expect(service.checkout('o-1', 'u-ada')).resolves.toEqual({ chargeId: 'ch_1' });

    expect(payments.charge).toHaveBeenCalledWith({ orderId: 'o-1', amountCents: 42_00, currency: 'EUR' });
    expect(orders.markPaid).toHaveBeenCalledWith('o-1', { chargeId: 'ch_1', paidAt });
    expect(mailer.sendReceipt).toHaveBeenCalledWith('ada@example.com', { orderId: 'o-1', totalCents: 42_00, currency: 'EUR' });
  });

  it.each([
    ["someone else's order", pendingOrder({ userId: 'u-bob' })],
    ['an order that does not exist', null],
  ])('answers 404 for %s and charges nothing', async (_case, stored) => {
    const { service, payments, orders } = checkoutWith(stored);

    await expect(service.checkout('o-1', 'u-ada')).rejects.toMatchObject({ status: 404, code: 'resource.not_found' });

    expect(payments.charge).not.toHaveBeenCalled();
    expect(orders.markPaid).not.toHaveBeenCalled();
  });

  it('refuses an order already paid with 409 order.not_pending, and charges nothing', async () => {
    const { service, payments } = checkoutWith(pendingOrder({ status: 'paid' }));

    await expect(service.checkout('o-1', 'u-ada')).rejects.toMatchObject({ status: 409, code: 'order.not_pending' });

    expect(payments.charge).not.toHaveBeenCalled();
  });

  it('when the card is declined, passes the error on and neither records a payment nor mails a receipt', async () => {
    const { service, payments, orders, mailer } = checkoutWith(pendingOrder());
    const declined = new PaymentError('PAYMENT_DECLINED', 'The payment for order o-1 was declined.');
    payments.charge.mockRejectedValue(declined);

    await expect(service.checkout('o-1', 'u-ada')).rejects.toBe(declined);

    expect(orders.markPaid).not.toHaveBeenCalled();
    expect(mailer.sendReceipt).not.toHaveBeenCalled();
  });

  it('when the receipt cannot be sent, still succeeds (the money is taken) and logs a warning naming the order', async () => {
    const { service, mailer, orders } = checkoutWith(pendingOrder());
    mailer.sendReceipt.mockRejectedValue(new Error('SMTP 421 try again later'));
    // logger is imported by the service, not injected: spy on the real object, silence it, restore it after.
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);

    await expect(service.checkout('o-1', 'u-ada')).resolves.toEqual({ chargeId: 'ch_1' });

    expect(orders.markPaid).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('receipt.failed', expect.objectContaining({ orderId: 'o-1' }));
  });
});
