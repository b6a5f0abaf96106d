import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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

/** A client that fails fast, as kata 2 teaches: no offline queue, no retries, a command timeout. */
const failFastClient = (): Redis =>
  redis.createClient({ maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: 500 });

async function ready(client: Redis): Promise<Redis> {
  if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  return client;
}

describe('1. Bound and expire the local cache', () => {
  describe('createLocalCache, when far more keys are written than its bound', () => {
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
      expect(await cache.get('key:9901')).toBeUndefined();
      expect(await cache.get('key:9902')).toBe('value 9902');
      expect(await cache.get('key:10000')).toBe('value 10000');
    });

    it('honours another bound too (max: 3)', async () => {
      const cache = createLocalCache({ max: 3, ttlMs: 60_000 });

      for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key.toUpperCase());

      expect(cache.size).toBe(3);
      expect([await cache.get('a'), await cache.get('b'), await cache.get('d')]).toEqual([undefined, 'B', 'D']);
    });
  });

  describe('createLocalCache, when an entry is older than ttlMs', () => {
    it('no longer returns it, on the clock it was given', async () => {
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

    it('counts the age from the write, not from the last read', async () => {
      const clock = fakeClock();
      const cache = createLocalCache({ max: 10, ttlMs: 1_000, now: clock.now });
      await cache.set('greeting', 'hello');

      clock.advance(600);
      const read = await cache.get('greeting');
      clock.advance(600);
      const afterRead = await cache.get('greeting');

      expect(read).toBe('hello');
      expect(afterRead).toBeUndefined();
    });
  });

  describe('two app instances, each with its own local cache, when the price is updated through instance A', () => {
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

describe('2. Share one copy in Redis', () => {
  it('two instances share one copy: what B cached, A serves as a HIT', async () => {
    const client = redis.createClient();
    const [a, b] = [instance(createRedisCache(client, { ttlSeconds: 60 })), instance(createRedisCache(client, { ttlSeconds: 60 }))];
    const id = await seedProduct(10);

    const first = await b.get(`/products/${id}`);
    const second = await a.get(`/products/${id}`);

    expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
    expect([second.status, second.headers['x-cache'], second.body]).toEqual([200, 'HIT', first.body]);
  });

  it('keeps no copy in the process: an entry Redis lost is a MISS', async () => {
    const client = redis.createClient();
    const a = instance(createRedisCache(client, { ttlSeconds: 60 }));
    const id = await seedProduct(10);
    await a.get(`/products/${id}`).expect('X-Cache', 'MISS');

    await client.flushall();
    const res = await a.get(`/products/${id}`);

    expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'MISS', 10]);
  });

  describe('when the price is updated through instance A', () => {
    it('B serves the new price on its very next request', async () => {
      const client = redis.createClient();
      const options = { ttlSeconds: 60, prefix: 'shop:' };
      const [a, b] = [instance(createRedisCache(client, options)), instance(createRedisCache(client, options))];
      const id = await seedProduct(10);
      await b.get(`/products/${id}`).expect('X-Cache', 'MISS');
      await b.get(`/products/${id}`).expect('X-Cache', 'HIT');

      await a.patch(`/products/${id}`).send({ price: 12 }).expect(200);
      const res = await b.get(`/products/${id}`);

      expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'MISS', 12]);
    });
  });

  it.each([
    ['the default prefix', undefined, 'cache:', 60],
    ['a given prefix', 'shop:', 'shop:', 30],
  ])('stores each answer once, under %s, with the configured TTL in seconds', async (_label, prefix, expectedPrefix, ttlSeconds) => {
    const client = redis.createClient();
    const a = instance(createRedisCache(client, { ttlSeconds, ...(prefix ? { prefix } : {}) }));
    const id = await seedProduct(10);

    await a.get(`/products/${id}`).expect(200);

    const keys = await client.keys('*');
    expect(keys).toEqual([`${expectedPrefix}product:${id}`]);
    const ttl = await client.ttl(keys[0]!);
    expect(ttl).toBeGreaterThanOrEqual(ttlSeconds - 2);
    expect(ttl).toBeLessThanOrEqual(ttlSeconds);
  });
});

describe('3. Put a short local level in front of Redis', () => {
  const twoLevel = (client: Redis, clock: ReturnType<typeof fakeClock>) =>
    createTwoLevelCache(createLocalCache({ max: 100, ttlMs: 1_000, now: clock.now }), createRedisCache(client, { ttlSeconds: 60, prefix: 'cache:' }));

  it('answers a repeat read from the local copy, even when Redis has lost the entry', async () => {
    const client = redis.createClient();
    const a = instance(twoLevel(client, fakeClock()));
    const id = await seedProduct(10);
    await a.get(`/products/${id}`).expect('X-Cache', 'MISS');
    const inRedis = await client.keys('cache:*');

    await client.flushall();
    const res = await a.get(`/products/${id}`);

    expect(inRedis).toHaveLength(1);
    expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'HIT', 10]);
  });

  describe('when the price is updated through instance A', () => {
    it('B serves the new price once its local TTL passes, refilled from Redis rather than the database, and keeps it locally', async () => {
      const client = redis.createClient();
      const clock = fakeClock();
      const [a, b] = [instance(twoLevel(client, clock)), instance(twoLevel(client, clock))];
      const id = await seedProduct(10);
      await b.get(`/products/${id}`).expect('X-Cache', 'MISS');

      await a.patch(`/products/${id}`).send({ price: 12 }).expect(200);
      const onA = await a.get(`/products/${id}`);
      const staleOnB = await b.get(`/products/${id}`);
      clock.advance(1_001);
      const queriesBefore = productQueries;
      const freshOnB = await b.get(`/products/${id}`);
      const queriesForRefill = productQueries - queriesBefore;
      await client.flushall();
      const localOnB = await b.get(`/products/${id}`);

      expect([onA.headers['x-cache'], onA.body.price]).toEqual(['MISS', 12]);
      expect([staleOnB.headers['x-cache'], staleOnB.body.price]).toEqual(['HIT', 10]);
      expect([freshOnB.status, freshOnB.headers['x-cache'], freshOnB.body.price]).toEqual([200, 'HIT', 12]);
      expect(queriesForRefill).toBe(0);
      expect([localOnB.status, localOnB.headers['x-cache'], localOnB.body.price]).toEqual([200, 'HIT', 12]);
    });
  });
});

describe('4. Survive a Redis that is down or hangs', () => {
  describe('when Redis is stopped', () => {
    it('answers reads and writes from the database, never a 500, and reports the failures', async () => {
      const errors: unknown[] = [];
      const client = await ready(failFastClient());
      const a = instance(createRedisCache(client, { ttlSeconds: 60, onError: (error) => errors.push(error) }));
      const id = await seedProduct(10);

      await redis.stop();
      const read = await a.get(`/products/${id}`);
      const write = await a.patch(`/products/${id}`).send({ price: 12 });
      const reread = await a.get(`/products/${id}`);
      await redis.start();

      expect([read.status, read.headers['x-cache'], read.body.price]).toEqual([200, 'MISS', 10]);
      expect([write.status, write.body.price]).toEqual([200, 12]);
      expect([reread.status, reread.headers['x-cache'], reread.body.price]).toEqual([200, 'MISS', 12]);
      expect(errors.length).toBeGreaterThan(0);
    });

    it('a two-level cache still answers repeat reads from its local copy', async () => {
      const errors: unknown[] = [];
      const client = await ready(failFastClient());
      const a = instance(
        createTwoLevelCache(
          createLocalCache({ max: 10, ttlMs: 60_000 }),
          createRedisCache(client, { ttlSeconds: 60, onError: (error) => errors.push(error) }),
        ),
      );
      const id = await seedProduct(10);

      await redis.stop();
      const first = await a.get(`/products/${id}`);
      const second = await a.get(`/products/${id}`);
      await redis.start();

      expect([first.status, first.headers['x-cache']]).toEqual([200, 'MISS']);
      expect([second.status, second.headers['x-cache'], second.body.price]).toEqual([200, 'HIT', 10]);
      expect(errors.length).toBeGreaterThan(0);
    });
  });

  describe('when Redis hangs (accepts commands, never answers)', () => {
    it('answers from the database once the command timeout has passed, never a 500', async () => {
      const errors: unknown[] = [];
      const client = await ready(failFastClient());
      const a = instance(createRedisCache(client, { ttlSeconds: 60, onError: (error) => errors.push(error) }));
      const id = await seedProduct(10);

      await redis.freeze();
      const read = await a.get(`/products/${id}`);
      const write = await a.patch(`/products/${id}`).send({ price: 12 });
      await redis.thaw();

      expect([read.status, read.headers['x-cache'], read.body.price]).toEqual([200, 'MISS', 10]);
      expect([write.status, write.body.price]).toEqual([200, 12]);
      expect(errors.length).toBeGreaterThan(0);
    });
  });
});
