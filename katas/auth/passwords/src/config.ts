/**
 * The kata's one config resolver: `KATA_*` environment variables → defaults,
 * read once at start-up. Specs pass a config object to createApp() instead of
 * touching the environment.
 */
export interface AuthConfig {
  /** bcrypt's cost factor: each step doubles the work of one hash (`KATA_BCRYPT_COST`). */
  bcryptCost: number;
}

/** Thrown at start-up when a `KATA_*` variable holds a value the app cannot use. */
export class ConfigError extends Error {
  readonly code = 'KATA_CONFIG_INVALID';
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}="${value}" is not valid: expected ${expected}.`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  // TODO: a default cost from 2010 and no validation: "abc" becomes NaN and "3" or "40" are taken as they are.
  return { bcryptCost: Number(env.KATA_BCRYPT_COST ?? 8) };
}
