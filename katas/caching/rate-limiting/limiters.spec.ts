/*
 * Wrong solutions these specs catch:
 * - GET the count, decide in Node, SET it back (or WATCH-less MULTI around a
 *   read done earlier): 100 parallel takes admit more than 10;
 * - INCR without a TTL: the keyspace fills with every client ever seen;
 * - a fixed window keyed without its start: the count never resets;
 * - a "sliding window" that is a fixed window: a burst just before the boundary
 *   is forgotten just after it;
 * - a sliding log that also records denied requests: the block never lifts
 *   while the client keeps retrying;
 * - a token bucket that refills a whole window's tokens at once, or reads
 *   Date.now() instead of the clock it is given.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import { useRedis } from '../../../harness';
import { createLimiter, type Algorithm } from './src/limiters';

const redis = useRedis();
let client: Redis;
beforeAll(() => {
  client = redis.createClient();
});

const limit = 10;
const windowMs = 60_000;
const algorithms: Algorithm[] = ['fixed', 'sliding', 'bucket'];

async function takeMany(algorithm: Algorithm, count: number, nowMs: number, key = 'client-1') {
  const limiter = createLimiter(client, algorithm, { limit, windowMs });
  return Promise.all(Array.from({ length: count }, () => limiter.take(key, nowMs)));
}

describe.each(algorithms)('the %s limiter', (algorithm) => {
  describe('when 100 requests arrive at once against a limit of 10', () => {
    it('admits exactly 10, and tells the others when to retry', async () => {
      const decisions = await takeMany(algorithm, 100, 1_000_000);

      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      const denied = decisions.filter((d) => !d.allowed);
      expect(denied.every((d) => d.remaining === 0 && d.retryAfterMs > 0 && d.retryAfterMs <= windowMs)).toBe(true);
    });
  });

  it('leaves only keys that expire, within one window', async () => {
    await takeMany(algorithm, 3, 1_000_000, 'client-a');
    await takeMany(algorithm, 12, 1_000_000, 'client-b');

    const keys = await client.keys('*');
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));

    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(ttls.every((ttl) => ttl > 0 && ttl <= windowMs)).toBe(true);
  });
});

describe('the fixed window', () => {
  it('starts a fresh count when the next window starts (and so allows a burst across the boundary)', async () => {
    const limiter = createLimiter(client, 'fixed', { limit, windowMs });
    const endOfWindow = 60_000 * 20 - 1;

    const before = await Promise.all(Array.from({ length: 11 }, () => limiter.take('k', endOfWindow)));
    const after = await Promise.all(Array.from({ length: 10 }, () => limiter.take('k', endOfWindow + 1)));

    expect(before.filter((d) => d.allowed)).toHaveLength(10);
    expect(before.find((d) => !d.allowed)?.retryAfterMs).toBe(1);
    expect(after.every((d) => d.allowed)).toBe(true);
  });
});

describe('the sliding window', () => {
  it('still counts a burst from just before a window boundary, until it is windowMs old', async () => {
    const limiter = createLimiter(client, 'sliding', { limit, windowMs });
    const burstAt = 60_000 * 20 - 1_000;

    await Promise.all(Array.from({ length: 10 }, () => limiter.take('k', burstAt)));
    const justAfterBoundary = await limiter.take('k', burstAt + 2_000);
    const stillBlocked = await limiter.take('k', burstAt + windowMs - 1);
    const burstGone = await limiter.take('k', burstAt + windowMs + 1);

    expect([justAfterBoundary.allowed, justAfterBoundary.retryAfterMs]).toEqual([false, windowMs - 2_000]);
    expect(stillBlocked.allowed).toBe(false);
    expect([burstGone.allowed, burstGone.remaining]).toEqual([true, 9]);
  });
});

describe('the token bucket', () => {
  it('allows a burst of `limit`, then refills one token every windowMs / limit', async () => {
    const limiter = createLimiter(client, 'bucket', { limit, windowMs });
    const start = 5_000_000;
    const perToken = windowMs / limit;

    const burst = await Promise.all(Array.from({ length: 11 }, () => limiter.take('k', start)));
    const tooEarly = await limiter.take('k', start + perToken - 1);
    const refilled = await limiter.take('k', start + perToken);
    const emptyAgain = await limiter.take('k', start + perToken);

    expect(burst.filter((d) => d.allowed)).toHaveLength(10);
    expect(burst.find((d) => !d.allowed)?.retryAfterMs).toBe(perToken);
    expect(tooEarly.allowed).toBe(false);
    expect(refilled.allowed).toBe(true);
    expect(emptyAgain.allowed).toBe(false);
  });
});
