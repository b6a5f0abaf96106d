import { secretFromEnv } from '../../../../lib/config';

/** Everything the session code needs to know, injected so specs can choose. */
export interface SessionConfig {
  /** Signs the session cookie. At least 32 random bytes in production. */
  secret: string;
  /** Express's `trust proxy` setting: how many proxies in front of the app set X-Forwarded-*. */
  trustProxy: boolean | number;
  /** Log out after this long without a request. */
  idleTimeoutMs: number;
  /** Log out this long after login, however active the user is. */
  absoluteTimeoutMs: number;
  /** Origins (scheme://host[:port]) whose pages may send state-changing requests. */
  allowedOrigins: string[];
}

/**
 * The settings from the environment, read when the app is created. In production
 * a missing secret stops the start-up instead of falling back to the public
 * development one.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SessionConfig {
  return {
    secret: secretFromEnv('KATA_SESSION_SECRET', 'dev-only-session-secret-change-me', env),
    trustProxy: false,
    idleTimeoutMs: 30 * 60 * 1000,
    absoluteTimeoutMs: 8 * 60 * 60 * 1000,
    allowedOrigins: ['http://localhost:3000'],
  };
}

/** The time, in milliseconds since the epoch. Injected so specs never sleep. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
