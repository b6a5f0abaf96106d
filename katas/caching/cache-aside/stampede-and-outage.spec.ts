/*
 * Wrong solutions these specs catch:
 * - plain cache-aside with no coalescing: 50 concurrent misses run 50 queries;
 * - letting Redis errors reach the error handler: a 500 while Redis is down;
 * - catching them, but with ioredis's defaults: the request waits in the offline
 *   queue through the reconnection attempts (no answer within the bound);
 * - a client created once with a give-up retry strategy, or never re-reading
 *   Redis after an error: caching does not resume when Redis returns.
 */
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import request from 'supertest';
import { startServer, useMongo, useRedis } from '../../../harness';
import { alice, bearer, commandTimeoutMs, seedProduct, useCatalogue } from './catalogue-fixture';

useMongo();
const redis = useRedis();
const catalogue = useCatalogue(redis);

/** A generous bound derived from the configured command timeout, far below Jest's. */
const answerBoundMs = commandTimeoutMs * 15;

/** Fails with a clear message when no answer comes within the bound. */
async function answered(test: request.Test): Promise<request.Response> {
  try {
    return await test.timeout({ response: answerBoundMs });
  } catch (error) {
    if ((error as { timeout?: unknown }).timeout === undefined) throw error;
    throw new Error(`No answer within ${answerBoundMs} ms: the request waited on Redis (commandTimeout is ${commandTimeoutMs} ms).`, { cause: error });
  }
}

describe('when 50 requests miss the same key at once (a cache stampede)', () => {
  it('MongoDB is queried once, and all 50 get the product', async () => {
    const id = await seedProduct();
    const { url } = await startServer(catalogue.app);
    let queries = 0;
    mongoose.set('debug', (collection: string) => {
      if (collection === 'products') queries += 1;
    });

    const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/products/${id}`)));
    mongoose.set('debug', false);
    const bodies = await Promise.all(responses.map((res) => res.json() as Promise<{ id: string }>));

    expect(responses.map((res) => res.status)).toEqual(Array(50).fill(200));
    expect(bodies.every((body) => body.id === id)).toBe(true);
    expect(queries).toBe(1);
  });
});

describe('when Redis is down', () => {
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
