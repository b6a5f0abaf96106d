/*
 * Wrong solutions these specs catch:
 * - a Map with a size check that clears everything when full, or drops the oldest
 *   insert (FIFO) instead of the least recently used entry: the bound spec fails;
 * - an LRU with `max` but no `ttl`: the other instance serves the old price forever;
 * - a TTL checked against Date.now() instead of the injected clock: nothing expires
 *   when the test moves time forward;
 * - a "Redis cache" that still keeps a copy per process, or stores without EX:
 *   the shared-hit and TTL specs fail;
 * - a two-level cache that skips level 1 (every read goes to Redis), or that goes
 *   to the database when level 1 misses instead of refilling from Redis.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildProduct, useMongo, useRedis } from '../../../harness';
import { createApp } from './src/app';
import { createLocalCache, createRedisCache, createTwoLevelCache, type Cache } from './src/cache';
import { Product } from './src/product.model';

useMongo();
const redis = useRedis();

/** A clock the test moves by hand, so expiry needs no sleep. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** Counts the queries that really reach MongoDB's products collection. */
let productQueries = 0;
beforeAll(() => {
  mongoose.set('debug', (collection: string) => {
    if (collection === 'products') productQueries += 1;
  });
});
afterAll(() => {
  mongoose.set('debug', false);
});

async function seedProduct(price: number) {
  const { name } = buildProduct();
  const product = await Product.create({ name, price });
  return product.id as string;
}

const instance = (cache: Cache) => request(createApp({ cache, log: () => {} }));

describe('createLocalCache (an in-process cache)', () => {
  describe('when far more keys are written than its bound', () => {
    it('holds at most `max` entries and evicts the least recently used first', async () => {
      const cache = createLocalCache({ max: 100, ttlMs: 60_000 });
      await cache.set('key:0', 'kept because it is read often');

      for (let i = 1; i <= 10_000; i += 1) {
        if (i % 50 === 0) await cache.get('key:0');
        await cache.set(`key:${i}`, `value ${i}`);
      }

      expect(cache.size).toBe(100);
      expect(await cache.get('key:0')).toBe('kept because it is read often');
      expect(await cache.get('key:1')).toBeUndefined();
      expect(await cache.get('key:10000')).toBe('value 10000');
    });
  });

  describe('when an entry is older than ttlMs', () => {
    it('no longer returns it', async () => {
      const clock = fakeClock();
      const cache = createLocalCache({ max: 10, ttlMs: 1_000, now: clock.now });
      await cache.set('greeting', 'hello');

      clock.advance(999);
      const young = await cache.get('greeting');
      clock.advance(2);
      const old = await cache.get('greeting');

      expect(young).toBe('hello');
      expect(old).toBeUndefined();
    });
  });
});

describe('two app instances, each with its own local cache', () => {
  describe('when the price is updated through instance A', () => {
    it('B keeps serving the old price until its local TTL runs out, then the new one', async () => {
      const clock = fakeClock();
      const local = () => createLocalCache({ max: 100, ttlMs: 5_000, now: clock.now });
      const [a, b] = [instance(local()), instance(local())];
      const id = await seedProduct(10);
      await b.get(`/products/${id}`).expect('X-Cache', 'MISS');

      await a.patch(`/products/${id}`).send({ price: 12 }).expect(200);
      const stale = await b.get(`/products/${id}`);
      clock.advance(5_001);
      const fresh = await b.get(`/products/${id}`);

      expect([stale.status, stale.headers['x-cache'], stale.body.price]).toEqual([200, 'HIT', 10]);
      expect([fresh.status, fresh.headers['x-cache'], fresh.body.price]).toEqual([200, 'MISS', 12]);
    });
  });
});

describe('two app instances sharing Redis (createRedisCache)', () => {
  let client: Redis;
  beforeEach(() => {
    client = redis.createClient();
  });

  it('share one copy: what B cached, A serves as a HIT', async () => {
    const [a, b] = [instance(createRedisCache(client, { ttlSeconds: 60 })), instance(createRedisCache(client, { ttlSeconds: 60 }))];
    const id = await seedProduct(10);

    const first = await b.get(`/products/${id}`);
    const second = await a.get(`/products/${id}`);

    expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
    expect([second.status, second.headers['x-cache'], second.body]).toEqual([200, 'HIT', first.body]);
  });

  describe('when the price is updated through instance A', () => {
    it('B serves the new price on its very next request', async () => {
      const [a, b] = [instance(createRedisCache(client, { ttlSeconds: 60 })), instance(createRedisCache(client, { ttlSeconds: 60 }))];
      const id = await seedProduct(10);
      await b.get(`/products/${id}`).expect('X-Cache', 'MISS');
      await b.get(`/products/${id}`).expect('X-Cache', 'HIT');

      await a.patch(`/products/${id}`).send({ price: 12 }).expect(200);
      const res = await b.get(`/products/${id}`);

      expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'MISS', 12]);
    });
  });

  it('stores each answer once in Redis, with a TTL no longer than configured', async () => {
    const a = instance(createRedisCache(client, { ttlSeconds: 60, prefix: 'cache:' }));
    const id = await seedProduct(10);

    await a.get(`/products/${id}`).expect(200);

    const keys = await client.keys('cache:*');
    expect(keys).toHaveLength(1);
    const ttl = await client.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});

describe('a two-level cache: a short local TTL over Redis (createTwoLevelCache)', () => {
  let client: Redis;
  beforeEach(() => {
    client = redis.createClient();
  });
  const twoLevel = (clock: ReturnType<typeof fakeClock>) =>
    createTwoLevelCache(createLocalCache({ max: 100, ttlMs: 1_000, now: clock.now }), createRedisCache(client, { ttlSeconds: 60, prefix: 'cache:' }));

  it('answers a repeat read from the local copy, even when Redis has lost the entry', async () => {
    const a = instance(twoLevel(fakeClock()));
    const id = await seedProduct(10);
    await a.get(`/products/${id}`).expect('X-Cache', 'MISS');
    const inRedis = await client.keys('cache:*');

    await client.flushall();
    const res = await a.get(`/products/${id}`);

    expect(inRedis).toHaveLength(1);
    expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'HIT', 10]);
  });

  describe('when the price is updated through instance A', () => {
    it('B serves the new price once its local TTL passes, refilled from Redis rather than the database', async () => {
      const clock = fakeClock();
      const [a, b] = [instance(twoLevel(clock)), instance(twoLevel(clock))];
      const id = await seedProduct(10);
      await b.get(`/products/${id}`).expect('X-Cache', 'MISS');

      await a.patch(`/products/${id}`).send({ price: 12 }).expect(200);
      const onA = await a.get(`/products/${id}`);
      const staleOnB = await b.get(`/products/${id}`);
      clock.advance(1_001);
      const queriesBefore = productQueries;
      const freshOnB = await b.get(`/products/${id}`);

      expect([onA.headers['x-cache'], onA.body.price]).toEqual(['MISS', 12]);
      expect([staleOnB.headers['x-cache'], staleOnB.body.price]).toEqual(['HIT', 10]);
      expect([freshOnB.status, freshOnB.headers['x-cache'], freshOnB.body.price]).toEqual([200, 'HIT', 12]);
      expect(productQueries - queriesBefore).toBe(0);
    });
  });
});
