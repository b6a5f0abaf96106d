import { describe, it } from '@jest/globals';
// The client under test, complete and correct; it calls the provider with fetch:
//   import nock from 'nock';
//   import { createPaymentsClient, type ChargeRequest } from '../src/payments-client';
//   import { sleep } from '../src/sleep';
// Keep the describe() title: the grader looks for passing tests under it.

describe('payments client', () => {
  // TODO: nock.disableNetConnect(), then one nock interceptor per expected request, matching headers and body.
  it.todo('sends the amount in cents with the API key and the order as idempotency key, and returns the charge id');
  // TODO: mock the sleep module (jest.mock) so that retries do not wait, and read the pauses asked for.
  it.todo('retries a 503 with the same idempotency key, pausing 100 ms then 200 ms');
  it.todo('gives up after three attempts, even if a fourth would have worked');
  it.todo('fails at once on a 400, 402 or 422, with the right code');
  it.todo('retries an attempt that times out, then gives up');
});
