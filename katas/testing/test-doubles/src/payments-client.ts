import { sleep } from './sleep';

/**
 * Client of the payment provider's HTTP API (`POST /v1/charges`).
 *
 * - A 503, a network error or a timeout is worth retrying: up to two retries
 *   (three attempts), waiting 100 ms then 200 ms. Every attempt carries the same
 *   `Idempotency-Key`, so the provider charges at most once however many of
 *   our attempts reach it.
 * - Any other 4xx/5xx will not change on a retry: it fails at once.
 */

export type PaymentErrorCode = 'PAYMENT_DECLINED' | 'PAYMENT_REJECTED' | 'PAYMENT_UNAVAILABLE';

export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PaymentError';
  }
}

export interface ChargeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
}

export interface Charge {
  chargeId: string;
}

export interface PaymentsClient {
  charge(request: ChargeRequest): Promise<Charge>;
}

export interface PaymentsClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per attempt; a slower answer counts as a failed attempt. */
  timeoutMs?: number;
}

const MAX_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 100;

export function createPaymentsClient({ baseUrl, apiKey, timeoutMs = 5_000 }: PaymentsClientOptions): PaymentsClient {
  async function attempt({ orderId, amountCents, currency }: ChargeRequest, signal: AbortSignal): Promise<Response> {
    return fetch(new URL('/v1/charges', baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        // Derived from the order, not random: a retry must be recognisable as the same charge.
        'idempotency-key': `order-${orderId}`,
      },
      body: JSON.stringify({ amount: amountCents, currency, metadata: { orderId } }),
      signal,
    });
  }

  return {
    async charge(request) {
      let lastFailure = '';
      for (let attemptNumber = 1; attemptNumber <= MAX_ATTEMPTS; attemptNumber++) {
        if (attemptNumber > 1) await sleep(FIRST_BACKOFF_MS * 2 ** (attemptNumber - 2));
        const timeout = AbortSignal.timeout(timeoutMs);
        let response: Response;
        try {
          response = await attempt(request, timeout);
        } catch {
          // Our timeout fired, or the network failed: the charge may or may not have happened,
          // and the idempotency key makes trying again safe. (The signal says which; the error's
          // shape differs between fetch implementations.)
          lastFailure = timeout.aborted ? `did not answer within ${timeoutMs} ms` : 'could not be reached';
          continue;
        }
        if (response.ok) {
          const body = (await response.json()) as { id: string };
          return { chargeId: body.id };
        }
        if (response.status === 503) {
          lastFailure = 'answered 503';
          continue;
        }
        if (response.status === 402) throw new PaymentError('PAYMENT_DECLINED', `The payment for order ${request.orderId} was declined.`);
        throw new PaymentError('PAYMENT_REJECTED', `The payment provider rejected order ${request.orderId} with ${response.status}.`);
      }
      throw new PaymentError('PAYMENT_UNAVAILABLE', `The payment provider ${lastFailure} (${MAX_ATTEMPTS} attempts).`);
    },
  };
}
