import { secretFromEnv } from '../../../../lib/config';

/** Injected so specs can choose; the access token format is the jwt kata's. */
export interface AccessConfig {
  accessSecret: string;
  issuer: string;
  audience: string;
}

/**
 * The settings from the environment, read when the app is created. In production
 * a missing secret stops the start-up instead of falling back to the public
 * development one.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AccessConfig {
  return {
    accessSecret: secretFromEnv('KATA_JWT_SECRET', 'dev-only-secret-change-me-0123456789abcdef', env),
    issuer: 'https://auth.kata.local',
    audience: 'kata-api',
  };
}
