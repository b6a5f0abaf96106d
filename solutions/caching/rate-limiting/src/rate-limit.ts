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
export function rateLimit({ limiter, now, keyOf, onRedisError, onError = () => {} }: RateLimitOptions): RequestHandler {
  // draft-ietf-httpapi-ratelimit-headers: a named policy with its quota (q)
  // and window in seconds (w); RateLimit gives what remains (r) and when the
  // quota resets (t, seconds), so well-behaved clients can pace themselves.
  const policy = `"${limiter.name}";q=${limiter.limit};w=${Math.ceil(limiter.windowMs / 1000)}`;
  return async (req, res, next) => {
    res.set('RateLimit-Policy', policy);
    let decision;
    try {
      decision = await limiter.take(keyOf(req), now());
    } catch (error) {
      onError(error);
      // The choice is the operator's: a public read API usually prefers to
      // stay up unprotected (open); a login or payment endpoint prefers to
      // refuse rather than allow unlimited guessing (closed). Either way, never a 500.
      if (onRedisError === 'open') return next();
      throw new AppError(503, 'rate_limit.unavailable', 'The rate limiter is unavailable; try again shortly.', {
        headers: { 'Retry-After': '1' },
        cause: error,
      });
    }
    res.set('RateLimit', `"${limiter.name}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`);
    if (!decision.allowed) {
      throw new AppError(429, 'rate_limit.exceeded', 'Too many requests; slow down.', {
        // Whole seconds (RFC 9110 §10.2.3), rounded up so a client that waits
        // exactly that long is admitted.
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))) },
      });
    }
    next();
  };
}
