import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import request from 'supertest';
import { CROWD_TEST_TIMEOUT_MS, startServer, useMongo, useRedis } from '../../../harness';
import { alice, bearer, commandTimeoutMs, seedProduct, useCatalogue } from './catalogue-fixture';

useMongo();
const redis = useRedis();
const catalogue = useCatalogue(redis);

/**
 * A bound derived from the configured command timeout: a request makes at most
 * three Redis calls in a row, each cut short at the timeout. Far below Jest's
 * time limit, far above what a busy machine adds.
 */
const answerBoundMs = commandTimeoutMs * 8;

/** Fails with a clear message when no answer comes within the bound. */
async function answered(test: request.Test): Promise<request.Response> {
  try {
    return await test.timeout({ response: answerBoundMs });
  } catch (error) {
    if ((error as { timeout?: unknown }).timeout === undefined) throw error;
    throw new Error(`No answer within ${answerBoundMs} ms: the request waited on Redis (commandTimeout is ${commandTimeoutMs} ms).`, { cause: error });
  }
}

/** Sends 50 GETs of `path` at once and counts the queries that reach MongoDB's products collection. */
async function fiftyAtOnce(path: string) {
  const { url } = await startServer(catalogue.app);
  let queries = 0;
  mongoose.set('debug', (collection: string) => {
    if (collection === 'products') queries += 1;
  });
  try {
    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}${path}`)));
    const bodies = await Promise.all(responses.map((res) => res.json() as Promise<Record<string, unknown>>));
    return { statuses: responses.map((res) => res.status), caches: responses.map((res) => res.headers.get('x-cache')), bodies, queries };
  } finally {
    mongoose.set('debug', false);
  }
}

describe('4. One load for 50 concurrent misses', () => {
  describe('when 50 requests miss the same product at once (a cache stampede)', () => {
    it('MongoDB is queried once, and all 50 get the product', async () => {
      const id = await seedProduct();

      const { statuses, caches, bodies, queries } = await fiftyAtOnce(`/products/${id}`);

      expect(statuses).toEqual(Array(50).fill(200));
      expect(bodies.every((body) => body.id === id)).toBe(true);
      expect(caches.every((status) => status === 'MISS' || status === 'HIT')).toBe(true);
      expect(queries).toBe(1);
      // 50 requests at once: 11 s on a busy machine.
    }, CROWD_TEST_TIMEOUT_MS);
  });

  describe('when 50 requests miss the same list at once', () => {
    it('MongoDB is queried once for the list too', async () => {
      const id = await seedProduct({ tags: ['sale'] });

      const { statuses, bodies, queries } = await fiftyAtOnce('/products?tag=sale&limit=5');

      expect(statuses).toEqual(Array(50).fill(200));
      expect(bodies.every((body) => (body.items as { id: string }[]).map((product) => product.id).join() === id)).toBe(true);
      expect(queries).toBe(1);
    }, CROWD_TEST_TIMEOUT_MS);
  });

  describe('when 50 requests miss the same missing product at once', () => {
    it('MongoDB is queried once, and all 50 get the 404', async () => {
      const { statuses, queries } = await fiftyAtOnce('/products/65a1b2c3d4e5f60718293a4d');

      expect(statuses).toEqual(Array(50).fill(404));
      expect(queries).toBe(1);
    }, CROWD_TEST_TIMEOUT_MS);
  });
});

describe('6. Keep answering when Redis is down or hangs', () => {
  describe('when Redis is stopped', () => {
    it('answers from MongoDB (200, X-Cache MISS) without waiting on Redis, and caching resumes when Redis returns', async () => {
      const id = await seedProduct({ tags: ['sale'], price: 10 });
      await request(catalogue.app).get(`/products/${id}`).expect('X-Cache', 'MISS');
      await request(catalogue.app).get(`/products/${id}`).expect('X-Cache', 'HIT');

      await redis.stop();
      const item = await answered(request(catalogue.app).get(`/products/${id}`));
      const list = await answered(request(catalogue.app).get('/products?tag=sale'));
      const write = await answered(request(catalogue.app).patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 8 }));
      await redis.start();
      if (catalogue.client.status !== 'ready') await once(catalogue.client, 'ready');
      const afterMiss = await request(catalogue.app).get(`/products/${id}`);
      const afterHit = await request(catalogue.app).get(`/products/${id}`);

      expect([item.status, item.headers['x-cache'], item.body.price]).toEqual([200, 'MISS', 10]);
      expect([list.status, list.headers['x-cache'], list.body.items.length]).toEqual([200, 'MISS', 1]);
      expect([write.status, write.body.price]).toEqual([200, 8]);
      expect([afterMiss.status, afterMiss.headers['x-cache'], afterMiss.body.price]).toEqual([200, 'MISS', 8]);
      expect([afterHit.status, afterHit.headers['x-cache'], afterHit.body.price]).toEqual([200, 'HIT', 8]);
    });
  });

  describe('when Redis hangs (accepts commands, never answers)', () => {
    it('answers reads and writes from MongoDB within the bound, then caches again once Redis answers', async () => {
      const id = await seedProduct({ tags: ['sale'], price: 10 });
      await request(catalogue.app).get(`/products/${id}`).expect('X-Cache', 'MISS');

      await redis.freeze();
      const item = await answered(request(catalogue.app).get(`/products/${id}`));
      const list = await answered(request(catalogue.app).get('/products?tag=sale'));
      const write = await answered(request(catalogue.app).patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 8 }));
      await redis.thaw();
      await catalogue.client.flushall();
      const afterMiss = await request(catalogue.app).get(`/products/${id}`);
      const afterHit = await request(catalogue.app).get(`/products/${id}`);

      expect([item.status, item.headers['x-cache'], item.body.price]).toEqual([200, 'MISS', 10]);
      expect([list.status, list.headers['x-cache'], list.body.items.length]).toEqual([200, 'MISS', 1]);
      expect([write.status, write.body.price]).toEqual([200, 8]);
      expect([afterMiss.status, afterMiss.headers['x-cache'], afterMiss.body.price]).toEqual([200, 'MISS', 8]);
      expect([afterHit.status, afterHit.headers['x-cache'], afterHit.body.price]).toEqual([200, 'HIT', 8]);
    });
  });
});
