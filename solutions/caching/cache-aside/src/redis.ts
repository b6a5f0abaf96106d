import type { RedisOptions } from 'ioredis';

export interface RedisConfig {
  /** The longest a request may wait on one Redis command before answering without the cache. */
  commandTimeoutMs: number;
}

/** The ioredis options the app's client is created with (see main.ts, and the specs). */
export function redisOptions({ commandTimeoutMs }: RedisConfig): RedisOptions {
  return {
    // A cache is an optimisation: when Redis is slow or gone, a request must
    // fall back to MongoDB quickly instead of waiting for it.
    commandTimeout: commandTimeoutMs,
    // While disconnected, reject at once instead of queueing (the queue would
    // hold requests for the whole outage, then replay stale writes).
    enableOfflineQueue: false,
    // A command caught by a dropped connection is not retried across reconnects.
    maxRetriesPerRequest: 1,
  };
}
