import type { RedisOptions } from 'ioredis';

export interface RedisConfig {
  /** The longest a request may wait on one Redis command before answering without the cache. */
  commandTimeoutMs: number;
}

/** The ioredis options the app's client is created with (see main.ts, and the specs). */
export function redisOptions(_config: RedisConfig): RedisOptions {
  // TODO: with ioredis's defaults, a command sent while Redis is down waits in a queue through up to 20 reconnection attempts: fail fast instead.
  return {};
}
