import { AppError, notFound } from '../../../../lib/errors';
import { logger } from './logger';
import type { PaymentsClient } from './payments-client';

export interface Order {
  id: string;
  userId: string;
  email: string;
  totalCents: number;
  currency: string;
  status: 'pending' | 'paid';
}

/** Where orders live (a database in production; anything with these methods in a test). */
export interface OrderRepository {
  findById(id: string): Promise<Order | null>;
  markPaid(id: string, payment: { chargeId: string; paidAt: Date }): Promise<void>;
}

export interface Mailer {
  sendReceipt(to: string, receipt: { orderId: string; totalCents: number; currency: string }): Promise<void>;
}

/** Every collaborator is passed in: a test hands in fakes, production the real ones. */
export interface CheckoutDependencies {
  orders: OrderRepository;
  payments: PaymentsClient;
  mailer: Mailer;
  now: () => Date;
}

/**
 * Pays for a user's pending order: charge, then record the payment, then send
 * the receipt. The receipt is a courtesy: once the money is taken, a mailer
 * failure is logged and the checkout still succeeds.
 */
export function createCheckoutService({ orders, payments, mailer, now }: CheckoutDependencies) {
  return {
    async checkout(orderId: string, userId: string): Promise<{ chargeId: string }> {
      const order = await orders.findById(orderId);
      // Someone else's order is reported as missing: its existence is not the caller's business.
      if (!order || order.userId !== userId) throw notFound(`Order ${orderId}`);
      if (order.status !== 'pending') throw new AppError(409, 'order.not_pending', `Order ${orderId} is already ${order.status}.`);

      const { chargeId } = await payments.charge({ orderId, amountCents: order.totalCents, currency: order.currency });
      await orders.markPaid(orderId, { chargeId, paidAt: now() });

      try {
        await mailer.sendReceipt(order.email, { orderId, totalCents: order.totalCents, currency: order.currency });
      } catch (error) {
        logger.warn('receipt.failed', { orderId, reason: error instanceof Error ? error.message : String(error) });
      }
      return { chargeId };
    },
  };
}
