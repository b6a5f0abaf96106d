import type { RequestHandler } from 'express';
import session from 'express-session';
import type Redis from 'ioredis';

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
export function sessions(_redis: Redis, config: SessionConfig): RequestHandler {
  const middleware = session({
    name: 'sid',
    secret: config.secret,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: config.maxAgeMs },
    // TODO: with no store, sessions live in this process's memory (express-session's MemoryStore): lost on restart, invisible to other instances. Keep them in Redis with connect-redis (prefix SESSION_PREFIX).
  });
  // A store failure while loading the session arrives here as next(err).
  return (req, res, next) => middleware(req, res, (error?: unknown) => next(error === undefined ? undefined : storeUnavailable(error)));
}

/** What a session store failure becomes on its way to the error handler. */
export function storeUnavailable(error: unknown): unknown {
  // TODO: a store failure (Redis down) reaches the error handler as a 500 internal error: make it a 503 session.store_unavailable problem that tells the client to retry.
  return error;
}

/** Runs one express-session step (regenerate, save, destroy) as a promise. */
export function sessionStep(step: (done: (error?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => step((error) => (error ? reject(storeUnavailable(error)) : resolve())));
}
