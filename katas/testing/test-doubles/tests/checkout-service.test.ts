import { describe, it } from '@jest/globals';
// The service under test, complete and correct; its collaborators are injected:
//   import { createCheckoutService, type Mailer, type Order, type OrderRepository } from '../src/checkout-service';
//   import { logger } from '../src/logger';
//   import { PaymentError, type PaymentsClient } from '../src/payments-client';
// Keep the describe() title: the grader looks for passing tests under it.

describe('checkout service', () => {
  // TODO: fakes for orders, payments and mailer (jest.fn() typed with the real interfaces) and a fixed clock.
  it.todo('charges the order total, records the payment at the injected time, then mails the receipt');
  it.todo("answers 404 for someone else's order or a missing one, and charges nothing");
  it.todo('refuses an order already paid, and charges nothing');
  it.todo('when the card is declined, neither records a payment nor mails a receipt');
  // TODO: the logger is imported, not injected: jest.spyOn(logger, 'warn').
  it.todo('when the receipt cannot be sent, still succeeds and logs a warning naming the order');
});
