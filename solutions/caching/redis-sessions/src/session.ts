import { RedisStore } from 'connect-redis';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type Redis from 'ioredis';
import { AppError } from '../../../../lib/errors';

export interface SessionConfig {
  secret: string;
  /** How long a session lives, in milliseconds: the cookie's Max-Age, and the store's TTL. */
  maxAgeMs: number;
  /** true in production (HTTPS); the specs run over plain HTTP. */
  secureCookies: boolean;
}

/** The key prefix of session documents in Redis. */
export const SESSION_PREFIX = 'sess:';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

/** express-session, configured for this app. */
export function sessions(redis: Redis, config: SessionConfig): RequestHandler {
  const middleware = session({
    name: 'sid',
    secret: config.secret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: config.maxAgeMs },
    // In Redis, a session survives a restart and every instance sees it.
    // connect-redis 8 accepts an ioredis client (9 and later take only
    // node-redis). No `ttl` option on purpose: the store then derives each
    // key's TTL from the cookie's expiry, so the key and the cookie die together.
    store: new RedisStore({ client: redis, prefix: SESSION_PREFIX }),
  });
  // A store failure while loading the session arrives here as next(err).
  return (req, res, next) => middleware(req, res, (error?: unknown) => next(error === undefined ? undefined : storeUnavailable(error)));
}

/** What a session store failure becomes on its way to the error handler. */
export function storeUnavailable(error: unknown): unknown {
  // The client did nothing wrong and can retry: 503 with Retry-After, not a
  // 500 that reads like a bug, and not a silent "logged out" either.
  return new AppError(503, 'session.store_unavailable', 'Sessions are unavailable right now; try again shortly.', {
    headers: { 'Retry-After': '1' },
    cause: error,
  });
}

/** Runs one express-session step (regenerate, save, destroy) as a promise. */
export function sessionStep(step: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => step((error) => (error ? reject(storeUnavailable(error)) : resolve())));
}
