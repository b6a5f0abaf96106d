import { randomUUID } from 'node:crypto';
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

// Every limiter is one Lua script: Redis runs it as a single step, so 100
// concurrent requests cannot all read "9" before any of them writes "10"
// (which is exactly what GET-then-SET from Node allows). The clock comes in as
// an argument, so tests (and a fleet of servers) agree on "now".

const FIXED_WINDOW = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local start = now - (now % window)
local key = KEYS[1] .. ':' .. start
local count = redis.call('INCR', key)
if count == 1 then redis.call('PEXPIRE', key, window) end
return { count, start + window - now }
`;

export function fixedWindow(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'fixed',
    limit,
    windowMs,
    async take(key, nowMs) {
      // The window's start is part of the key, and the key expires with the
      // window: old windows never pile up.
      const [count, resetMs] = (await redis.eval(FIXED_WINDOW, 1, `${prefix}fixed:${key}`, nowMs, windowMs)) as [number, number];
      const allowed = count <= limit;
      return { allowed, remaining: Math.max(0, limit - count), resetMs, retryAfterMs: allowed ? 0 : resetMs };
    },
  };
}

const SLIDING_WINDOW = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local first = now
if oldest[2] then first = tonumber(oldest[2]) end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local last = now
if newest[2] then last = tonumber(newest[2]) end
redis.call('PEXPIRE', KEYS[1], window)
return { allowed, count, first + window - now, last + window - now }
`;

export function slidingWindow(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'sliding',
    limit,
    windowMs,
    async take(key, nowMs) {
      // A log of the admitted requests of the last window (a sorted set scored
      // by time): exact, no burst at a window boundary. Denied requests are not
      // logged, so hammering does not extend the block. The member is unique so
      // two requests in the same millisecond are two entries.
      const [allowed, count, oldestOutMs, allOutMs] = (await redis.eval(
        SLIDING_WINDOW,
        1,
        `${prefix}sliding:${key}`,
        nowMs,
        windowMs,
        limit,
        `${nowMs}:${randomUUID()}`,
      )) as [number, number, number, number];
      return {
        allowed: allowed === 1,
        remaining: Math.max(0, limit - count),
        resetMs: allOutMs,
        retryAfterMs: allowed === 1 ? 0 : oldestOutMs,
      };
    },
  };
}

// Integer arithmetic throughout: the bucket's level is counted in units where
// one token is `window` units and every millisecond adds `limit` units, so
// 5999 ms and then 1 ms refill exactly one token (floats would leave 0.9999…).
const TOKEN_BUCKET = `
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local capacity = limit * window
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level, at = tonumber(state[1]), tonumber(state[2])
if level == nil then level, at = capacity, now end
level = math.min(capacity, level + math.max(0, now - at) * limit)
local allowed = 0
if level >= window then
  level = level - window
  allowed = 1
end
redis.call('HSET', KEYS[1], 'level', level, 'at', now)
local full = math.ceil((capacity - level) / limit)
redis.call('PEXPIRE', KEYS[1], math.max(full, 1))
local wait = 0
if allowed == 0 then wait = math.ceil((window - level) / limit) end
return { allowed, math.floor(level / window), full, wait }
`;

export function tokenBucket(redis: Redis, { limit, windowMs, prefix = 'rl:' }: LimiterOptions): Limiter {
  return {
    name: 'bucket',
    limit,
    windowMs,
    async take(key, nowMs) {
      // A bucket of `limit` tokens refilled at limit/windowMs per millisecond:
      // bursts up to the capacity, then a steady rate. The key expires once the
      // bucket would be full again, when forgetting it changes nothing.
      const [allowed, remaining, resetMs, retryAfterMs] = (await redis.eval(TOKEN_BUCKET, 1, `${prefix}bucket:${key}`, nowMs, limit, windowMs)) as [
        number,
        number,
        number,
        number,
      ];
      return { allowed: allowed === 1, remaining, resetMs, retryAfterMs };
    },
  };
}

export type Algorithm = 'fixed' | 'sliding' | 'bucket';

export function createLimiter(redis: Redis, algorithm: Algorithm, options: LimiterOptions): Limiter {
  const make = { fixed: fixedWindow, sliding: slidingWindow, bucket: tokenBucket }[algorithm];
  return make(redis, options);
}
