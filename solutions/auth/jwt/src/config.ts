import { secretFromEnv } from '../../../../lib/config';

/** Everything the token code needs to know, injected so specs can choose. */
export interface JwtConfig {
  /** HMAC key for access tokens (HS256). At least 32 random bytes in production. */
  accessSecret: string;
  /** `iss` of every access token: who issued it. */
  issuer: string;
  /** `aud` of every access token: which API it is for. */
  audience: string;
  /** Access tokens are short-lived: a stolen one is useful for minutes. */
  accessTtlSeconds: number;
  /** Refresh tokens live longer and are stored, so they can be revoked. */
  refreshTtlSeconds: number;
  /** Seconds of disagreement between clocks that `exp` forgives. */
  clockToleranceSeconds: number;
}

/**
 * The settings from the environment, read when the app is created. In production
 * a missing secret stops the start-up instead of falling back to the public
 * development one.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): JwtConfig {
  return {
    accessSecret: secretFromEnv('KATA_JWT_SECRET', 'dev-only-secret-change-me-0123456789abcdef', env),
    issuer: 'https://auth.kata.local',
    audience: 'kata-api',
    accessTtlSeconds: 15 * 60,
    refreshTtlSeconds: 7 * 24 * 60 * 60,
    clockToleranceSeconds: 5,
  };
}

/** The time, in milliseconds since the epoch. Injected so specs never sleep. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
