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

async function takeMany(algorithm: Algorithm, count: number, nowMs: number, key = 'client-1', options = { limit, windowMs }) {
  const limiter = createLimiter(client, algorithm, options);
  return Promise.all(Array.from({ length: count }, () => limiter.take(key, nowMs)));
}

/** The specs every algorithm must pass, registered inside its step. */
function countsAtomicallyWithExpiringKeys(algorithm: Algorithm) {
  describe('when 100 requests arrive at once against a limit of 10', () => {
    it('admits exactly 10, and tells the others when to retry', async () => {
      const decisions = await takeMany(algorithm, 100, 1_000_000);

      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const denied = decisions.filter((d) => !d.allowed);
      expect(denied.every((d) => d.remaining === 0 && d.retryAfterMs > 0 && d.retryAfterMs <= windowMs)).toBe(true);
    });
  });

  describe('with another limit and window (3 per second)', () => {
    it('admits exactly 3 of 20, and its keys live at most one second', async () => {
      const decisions = await takeMany(algorithm, 20, 2_000_000, 'client-2', { limit: 3, windowMs: 1_000 });
      const ttls = await Promise.all((await client.keys('*')).map((key) => client.pttl(key)));

      expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
      expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs > 0 && d.retryAfterMs <= 1_000)).toBe(true);
      expect(ttls.length).toBeGreaterThan(0);
      expect(ttls.every((ttl) => ttl > 0 && ttl <= 1_000)).toBe(true);
    });
  });

  it('keeps one count per key, even for two keys spent at once', async () => {
    const [first, second] = await Promise.all([takeMany(algorithm, 15, 1_000_000, 'client-a'), takeMany(algorithm, 15, 1_000_000, 'client-b')]);

    expect([first.filter((d) => d.allowed).length, second.filter((d) => d.allowed).length]).toEqual([10, 10]);
  });

  it('leaves only keys that expire, within one window', async () => {
    await takeMany(algorithm, 3, 1_000_000, 'client-a');
    await takeMany(algorithm, 12, 1_000_000, 'client-b');

    const keys = await client.keys('*');
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));

    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(ttls.every((ttl) => ttl > 0 && ttl <= windowMs)).toBe(true);
  });
}

describe('1. Count atomically in a fixed window', () => {
  countsAtomicallyWithExpiringKeys('fixed');

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

describe('2. Slide the window', () => {
  countsAtomicallyWithExpiringKeys('sliding');

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

  it('does not count refused requests: a client that keeps retrying is admitted once the window has passed', async () => {
    const limiter = createLimiter(client, 'sliding', { limit, windowMs });
    const start = 3_000_000;
    await Promise.all(Array.from({ length: 10 }, () => limiter.take('k', start)));

    const retries = [];
    for (let t = start + 10_000; t < start + windowMs; t += 10_000) retries.push(await limiter.take('k', t));
    const afterWindow = await limiter.take('k', start + windowMs + 1);

    expect(retries.map((d) => [d.allowed, d.retryAfterMs])).toEqual([1, 2, 3, 4, 5].map((i) => [false, windowMs - i * 10_000]));
    expect([afterWindow.allowed, afterWindow.remaining]).toEqual([true, 9]);
  });
});

describe('3. Refill a token bucket', () => {
  countsAtomicallyWithExpiringKeys('bucket');

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

  it('refills in proportion to the time passed, never beyond `limit`', async () => {
    const limiter = createLimiter(client, 'bucket', { limit, windowMs });
    const start = 7_000_000;
    const perToken = windowMs / limit;
    await Promise.all(Array.from({ length: 10 }, () => limiter.take('k', start)));

    const afterThree = await Promise.all(Array.from({ length: 4 }, () => limiter.take('k', start + 3 * perToken)));
    const muchLater = await Promise.all(Array.from({ length: 12 }, () => limiter.take('k', start + 100 * windowMs)));

    expect(afterThree.filter((d) => d.allowed)).toHaveLength(3);
    expect(muchLater.filter((d) => d.allowed)).toHaveLength(10);
  });
});
