import type { Request, RequestHandler } from 'express';
import { AppError } from '../../../../lib/errors';
import type { Limiter } from './limiters';

export interface RateLimitOptions {
  limiter: Limiter;
  /** The clock, in milliseconds, handed to the limiter. */
  now: () => number;
  /** Whose quota a request spends. */
  keyOf: (req: Request) => string;
  /** When Redis cannot be asked: let requests through ('open') or refuse them ('closed'). */
  onRedisError: 'open' | 'closed';
  /** Told about every limiter failure (for logs and alerts). */
  onError?: (error: unknown) => void;
}

/**
 * Express middleware: spends one unit of the caller's quota, answers 429 when
 * there is none left, and describes the policy on every answer with the IETF
 * draft's RateLimit-Policy and RateLimit headers.
 */
export function rateLimit({ limiter, now, keyOf }: RateLimitOptions): RequestHandler {
  return async (req, _res, next) => {
    // TODO: when Redis fails this throws, and the client gets a 500: apply the configured onRedisError ('open' lets the request through, 'closed' answers a 503 problem).
    const decision = await limiter.take(keyOf(req), now());
    // TODO: tell the client the policy and what is left on every answer (RateLimit-Policy, RateLimit), and when to come back on a 429 (Retry-After).
    if (!decision.allowed) throw new AppError(429, 'rate_limit.exceeded', 'Too many requests; slow down.');
    next();
  };
}
