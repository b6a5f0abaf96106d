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

// OWASP's floor for bcrypt is 10; 12 costs a few hundred milliseconds on a
// server today, which a login can afford and an attacker's GPU cannot.
const DEFAULT_BCRYPT_COST = 12;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = env.KATA_BCRYPT_COST;
  if (raw === undefined || raw === '') return { bcryptCost: DEFAULT_BCRYPT_COST };
  // Fail at start-up, naming the value: NaN would reach bcrypt and fail every
  // sign-up later, and a typo like "40" would take hours per hash. 4 is
  // bcrypt's minimum (fine for tests), 31 its maximum.
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new ConfigError('KATA_BCRYPT_COST', raw, 'an integer from 4 to 31');
  return { bcryptCost: cost };
}
