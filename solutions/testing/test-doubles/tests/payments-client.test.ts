import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createPaymentsClient, type ChargeRequest } from '../src/payments-client';
import { sleep } from '../src/sleep';

// The backoff pause is a module the client imports: mock the module, so retries
// happen at once and the test reads the pauses that were asked for. `jest` here
// is the global one: the compiler hoists jest.mock() above the imports only for
// it, not for a `jest` imported from @jest/globals.
jest.mock('../src/sleep');
const pauses = jest.mocked(sleep);

const api = 'https://payments.example.test';
const order: ChargeRequest = { orderId: 'o-1', amountCents: 42_00, currency: 'EUR' };

/**
 * One expected POST /v1/charges, matched on what the provider relies on: the API
 * key, the idempotency key and the body in cents. A request that differs in any
 * of them matches nothing, and nock fails it.
 */
const expectCharge = () =>
  nock(api, { reqheaders: { authorization: 'Bearer sk_test_123', 'idempotency-key': 'order-o-1', 'content-type': 'application/json' } }).post(
    '/v1/charges',
    { amount: 42_00, currency: 'EUR', metadata: { orderId: 'o-1' } },
  );

/** A provider that never answers: only the client's own timeout ends the attempt. */
const neverAnswers = (_uri: string, _body: unknown, _callback: unknown): void => undefined;

const client = createPaymentsClient({ baseUrl: api, apiKey: 'sk_test_123' });

beforeAll(() => {
  nock.disableNetConnect(); // nothing leaves the machine, whatever the code under test does
});

beforeEach(() => {
  pauses.mockClear();
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
});

describe('payments client', () => {
  it('sends the amount in cents with the API key and the order as idempotency key, and returns the charge id', async () => {
    const provider = expectCharge().reply(201, { id: 'ch_1' });

    await expect(client.charge(order)).resolves.toEqual({ chargeId: 'ch_1' });

    expect(provider.isDone()).toBe(true);
    expect(pauses).not.toHaveBeenCalled();
  });

  it('retries a 503 with the same idempotency key, pausing 100 ms then 200 ms', async () => {
    expectCharge().reply(503);
    expectCharge().reply(503);
    expectCharge().reply(201, { id: 'ch_1' });

    await expect(client.charge(order)).resolves.toEqual({ chargeId: 'ch_1' });

    expect(pauses.mock.calls).toEqual([[100], [200]]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('gives up after three attempts with PAYMENT_UNAVAILABLE, even if a fourth would have worked', async () => {
    expectCharge().times(3).reply(503);
    expectCharge().reply(201, { id: 'ch_too_late' });

    await expect(client.charge(order)).rejects.toMatchObject({ name: 'PaymentError', code: 'PAYMENT_UNAVAILABLE' });

    expect(nock.pendingMocks()).toHaveLength(1);
  });

  it.each([
    [400, 'PAYMENT_REJECTED'],
    [402, 'PAYMENT_DECLINED'],
    [422, 'PAYMENT_REJECTED'],
  ])('fails at once on a %i with %s: a retry would get the same answer', async (status, code) => {
    expectCharge().reply(status, { error: 'no' });
    expectCharge().reply(201, { id: 'ch_should_not_happen' });

    await expect(client.charge(order)).rejects.toMatchObject({ name: 'PaymentError', code });

    expect(nock.pendingMocks()).toHaveLength(1);
    expect(pauses).not.toHaveBeenCalled();
  });

  it('counts an attempt that times out as failed and retries it, then gives up with PAYMENT_UNAVAILABLE', async () => {
    const impatient = createPaymentsClient({ baseUrl: api, apiKey: 'sk_test_123', timeoutMs: 50 });
    expectCharge().times(3).reply(neverAnswers);

    await expect(impatient.charge(order)).rejects.toMatchObject({ name: 'PaymentError', code: 'PAYMENT_UNAVAILABLE' });

    expect(pauses.mock.calls).toEqual([[100], [200]]);
  });
});
