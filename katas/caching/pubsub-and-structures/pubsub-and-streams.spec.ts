import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import request from 'supertest';
import { buildProduct, useMongo, useRedis } from '../../../harness';
import { createApp } from './src/app';
import { createEventLog } from './src/event-log';
import { createInvalidationBus, type InvalidationBus } from './src/invalidation';
import { Product } from './src/product.model';

useMongo();
const redis = useRedis();
let a: Redis;
let b: Redis;
let c: Redis;
beforeAll(() => {
  // RESP2, as spoken by Redis before 6, ioredis 5, node-redis 4 and many
  // proxies: a connection that subscribes can then run nothing but
  // (P|S)SUBSCRIBE, PING and QUIT. (ioredis 6 defaults to RESP3, which lifts
  // that rule; a dedicated subscriber connection is still what keeps the
  // bus's lifecycle apart from the app's client.)
  [a, b, c] = [redis.createClient({ protocol: 2 }), redis.createClient({ protocol: 2 }), redis.createClient({ protocol: 2 })];
});

/** Buses started by a test, closed after it whatever happens. */
const buses: InvalidationBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});
async function startedBus(client: Redis) {
  const bus = createInvalidationBus(client);
  buses.push(bus);
  await bus.start();
  return bus;
}

/** Resolves with the next key `bus` delivers. */
const nextInvalidation = (bus: InvalidationBus) => new Promise<string>((resolve) => bus.onInvalidate(resolve));

describe('4. Invalidate every instance over Pub/Sub', () => {
  it("an update through A evicts B's local copy as soon as the message arrives", async () => {
    const [busA, busB] = [await startedBus(a), await startedBus(b)];
    const [appA, appB] = [createApp({ bus: busA, log: () => {} }), createApp({ bus: busB, log: () => {} })];
    const { name } = buildProduct();
    const id = (await Product.create({ name, price: 10 })).id as string;
    await request(appB).get(`/products/${id}`).expect('X-Cache', 'MISS');
    await request(appB).get(`/products/${id}`).expect('X-Cache', 'HIT');

    const arrived = nextInvalidation(busB);
    await request(appA).patch(`/products/${id}`).send({ price: 12 }).expect(200);
    const key = await arrived;
    const res = await request(appB).get(`/products/${id}`);

    expect(key).toContain(id);
    expect([res.status, res.headers['x-cache'], res.body.price]).toEqual([200, 'MISS', 12]);
  });

  it('loses a message published while the subscriber is disconnected', async () => {
    const busA = await startedBus(a);
    const away = await startedBus(b);
    await away.close();

    const receiversWhileAway = await busA.publish('product:lost');
    const back = await startedBus(b);
    const received = nextInvalidation(back);
    const receiversNow = await busA.publish('product:after');

    expect([receiversWhileAway, receiversNow]).toEqual([1, 2]);
    expect(await received).toBe('product:after');
  });

  it('delivers to every handler, and keeps buses on other channels apart', async () => {
    const sender = await startedBus(a);
    const listener = await startedBus(b);
    const elsewhere = createInvalidationBus(c, { channel: 'other:invalidate' });
    buses.push(elsewhere);
    await elsewhere.start();
    const heardElsewhere: string[] = [];
    elsewhere.onInvalidate((key) => heardElsewhere.push(key));
    const [first, second] = [nextInvalidation(listener), nextInvalidation(listener)];

    const receivers = await sender.publish('product:7');
    const ownMessage = nextInvalidation(elsewhere);
    const receiversElsewhere = await elsewhere.publish('product:8');

    expect([receivers, await first, await second]).toEqual([2, 'product:7', 'product:7']);
    // Redis delivers in publish order: had product:7 reached this bus, it would be first.
    expect([receiversElsewhere, await ownMessage, heardElsewhere]).toEqual([1, 'product:8', ['product:8']]);
  });
});

describe('5. Keep the events in a Stream with a consumer group', () => {
  const options = { stream: 'events:orders', group: 'mailer' };

  it('delivers events appended before the consumer group existed, each to exactly one consumer', async () => {
    const producer = createEventLog(a, options);
    for (let i = 1; i <= 6; i += 1) await producer.append('order.placed', { order: i });

    await createEventLog(b, options).ensureGroup();
    const first = await createEventLog(b, options).read('worker-1', 3);
    const second = await createEventLog(c, options).read('worker-2', 10);
    const nothingLeft = await createEventLog(b, options).read('worker-1', 10);

    const orders = [...first, ...second].map((event) => (event.data as { order: number }).order);
    expect([first.length, second.length, nothingLeft.length]).toEqual([3, 3, 0]);
    expect(orders.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(first[0]).toMatchObject({ type: 'order.placed', id: expect.stringMatching(/^\d+-\d+$/) });
  });

  it("redelivers a dead consumer's unacknowledged event to another consumer: nothing is lost", async () => {
    const producer = createEventLog(a, options);
    await producer.ensureGroup();
    for (let i = 1; i <= 3; i += 1) await producer.append('order.placed', { order: i });
    const doomed = createEventLog(b, options);
    const delivered = await doomed.read('worker-1', 10);
    await doomed.ack(delivered[0]!.id, delivered[1]!.id);
    // worker-1 dies here, with order 3 read but never acknowledged.

    const survivor = createEventLog(c, options);
    const fresh = await survivor.read('worker-2', 10);
    const tooEarly = await survivor.claimStale('worker-2', 60_000);
    const claimed = await survivor.claimStale('worker-2', 0);
    await survivor.ack(...claimed.map((event) => event.id));
    const pending = await survivor.pendingCount();

    expect(delivered).toHaveLength(3);
    expect([fresh, tooEarly]).toEqual([[], []]);
    expect(claimed.map((event) => event.data)).toEqual([{ order: 3 }]);
    expect(pending).toBe(0);
  });
});
