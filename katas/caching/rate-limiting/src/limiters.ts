import type Redis from 'ioredis';

/** What a limiter decides for one request. */
export interface Decision {
  allowed: boolean;
  /** Requests (or tokens) left after this one. */
  remaining: number;
  /** Milliseconds until the quota is fully available again. */
  resetMs: number;
  /** When denied: milliseconds until a request can succeed; 0 when allowed. */
  retryAfterMs: number;
}

export interface Limiter {
  /** The policy's name in the RateLimit headers, e.g. "fixed". */
  readonly name: string;
  /** Requests allowed per window (the bucket's capacity for a token bucket). */
  readonly limit: number;
  readonly windowMs: number;
  /** Counts one request for `key` at time `nowMs` and decides. */
  take(key: string, nowMs: number): Promise<Decision>;
}

export interface LimiterOptions {
  limit: number;
  windowMs: number;
  /** Prepended to every key (default "rl:"). */
  prefix?: string;
}

/** Read the count, decide in Node, write it back: the first version everyone writes. */
async function countInNode(redis: Redis, key: string, limit: number, windowMs: number): Promise<Decision> {
  const count = Number((await redis.get(key)) ?? 0);
  if (count >= limit) return { allowed: false, remaining: 0, resetMs: windowMs, retryAfterMs: windowMs };
  await redis.set(key, String(count + 1));
  return { allowed: true, remaining: limit - count - 1, resetMs: windowMs, retryAfterMs: 0 };
}

export function fixedWindow(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'fixed',
    limit,
    windowMs,
    async take(key, _nowMs) {
      // TODO: concurrent requests all read the same count before any writes it back, and the key never resets or expires: count per window, atomically (a Lua script), with a TTL.
      return countInNode(redis, `${prefix}fixed:${key}`, limit, windowMs);
    },
  };
}

export function slidingWindow(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'sliding',
    limit,
    windowMs,
    async take(key, _nowMs) {
      // TODO: a sliding window counts the requests of the last windowMs, whenever "now" is: keep a log of admitted requests (a sorted set scored by time) in one Lua script.
      return countInNode(redis, `${prefix}sliding:${key}`, limit, windowMs);
    },
  };
}

export function tokenBucket(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'bucket',
    limit,
    windowMs,
    async take(key, _nowMs) {
      // TODO: a token bucket holds up to `limit` tokens and refills limit/windowMs per millisecond: keep tokens and the last refill time in a hash, updated in one Lua script.
      return countInNode(redis, `${prefix}bucket:${key}`, limit, windowMs);
    },
  };
}

export type Algorithm = 'fixed' | 'sliding' | 'bucket';

export function createLimiter(redis: Redis, algorithm: Algorithm, options: LimiterOptions): Limiter {
  const make = { fixed: fixedWindow, sliding: slidingWindow, bucket: tokenBucket }[algorithm];
  return make(redis, options);
}
