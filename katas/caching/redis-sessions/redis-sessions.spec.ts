/*
 * Wrong solutions these specs catch:
 * - express-session's default MemoryStore: sessions die with the instance and
 *   are invisible to the other one;
 * - connect-redis 9/10 (node-redis only) or a hand-written store;
 * - a `ttl` function returning a fixed lifetime (e.g. a day), or a cookie without
 *   maxAge: the Redis key outlives (or underlives) the cookie;
 * - logout that only clears the cookie: the session still works for whoever
 *   kept the cookie, and its key stays in Redis;
 * - "log out everywhere" that only ends the current session, or that SCANs the
 *   whole keyspace for the user's sessions instead of keeping a set per user;
 * - letting a store error reach the error handler (500), or treating it as
 *   "not signed in" (401): Redis down is the server's problem, a 503.
 */
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import request from 'supertest';
import { buildUser, useRedis, expectProblem } from '../../../harness';
import { createApp } from './src/app';
import { createUserDirectory, type UserDirectory } from './src/users';

const redis = useRedis();

const maxAgeMs = 30 * 60_000;
const alice = buildUser();
const bob = buildUser();
let client: Redis;
let users: UserDirectory & { users: { id: string }[] };

beforeAll(async () => {
  // Fail fast while Redis is down (the cache-aside kata's lesson).
  client = redis.createClient({ enableOfflineQueue: false, commandTimeout: 200, maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
  users = await createUserDirectory([alice, bob], { bcryptRounds: 4 });
});

/** One app instance; call twice for two instances sharing Redis, or again for a "restarted" one. */
const instance = () =>
  createApp({ redis: client, users, config: { session: { secret: 'sessions-spec-secret-0123456789', maxAgeMs, secureCookies: false } }, log: () => {} });

/** Signs in and returns the session cookie (name=value), as a browser would keep it. */
async function login(app: ReturnType<typeof instance>, who: { email: string; password: string }): Promise<string> {
  const res = await request(app).post('/login').send({ email: who.email, password: who.password }).expect(200);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.find((c) => c.startsWith('sid='));
  if (!cookie) throw new Error(`login set no sid cookie (set-cookie: ${JSON.stringify(setCookie)})`);
  return cookie.split(';')[0]!;
}

const sessionKeys = () => client.keys('sess:*');

describe('POST /login', () => {
  it('stores the session in Redis, its TTL following the cookie maxAge', async () => {
    const app = instance();

    await login(app, alice);

    const keys = await sessionKeys();
    expect(keys).toHaveLength(1);
    const ttl = await client.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(maxAgeMs / 1000 - 10);
    expect(ttl).toBeLessThanOrEqual(maxAgeMs / 1000);
  });
});

describe('a session', () => {
  it('survives an app restart', async () => {
    const cookie = await login(instance(), alice);

    const afterRestart = await request(instance()).get('/me').set('Cookie', cookie);

    expect([afterRestart.status, afterRestart.body.userId]).toEqual([200, users.users[0]!.id]);
  });

  it('is shared by two app instances', async () => {
    const [a, b] = [instance(), instance()];
    const cookie = await login(a, alice);

    const onA = await request(a).get('/me').set('Cookie', cookie);
    const onB = await request(b).get('/me').set('Cookie', cookie);

    expect([onA.status, onB.status, onB.body.userId]).toEqual([200, 200, users.users[0]!.id]);
  });
});

describe('POST /logout', () => {
  it('deletes the session key in Redis, so the old cookie no longer works anywhere', async () => {
    const [a, b] = [instance(), instance()];
    const cookie = await login(a, alice);
    const before = await sessionKeys();

    await request(a).post('/logout').set('Cookie', cookie).expect(204);
    const reused = await request(b).get('/me').set('Cookie', cookie);

    expect(before).toHaveLength(1);
    expect(await sessionKeys()).toEqual([]);
    expectProblem(reused, 401, 'auth.unauthenticated');
  });
});

describe('POST /logout-everywhere', () => {
  it("ends every session of the user, on every instance, and nobody else's", async () => {
    const [a, b] = [instance(), instance()];
    const laptop = await login(a, alice);
    const phone = await login(b, alice);
    const bobs = await login(a, bob);

    await request(b).post('/logout-everywhere').set('Cookie', laptop).expect(200);
    const phoneAfter = await request(a).get('/me').set('Cookie', phone);
    const bobAfter = await request(b).get('/me').set('Cookie', bobs);

    expectProblem(phoneAfter, 401, 'auth.unauthenticated');
    expect(bobAfter.status).toBe(200);
    expect(await sessionKeys()).toHaveLength(1);
    expect(await client.keys(`*${users.users[0]!.id}*`)).toEqual([]);
  });

  it('keeps its per-user index from outliving the sessions (the set has a TTL)', async () => {
    const app = instance();

    await login(app, alice);
    await login(app, alice);

    const sets = await client.keys(`*${users.users[0]!.id}*`);
    expect(sets).toHaveLength(1);
    expect(await client.type(sets[0]!)).toBe('set');
    expect(await client.scard(sets[0]!)).toBe(2);
    const ttl = await client.pttl(sets[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(maxAgeMs);
  });
});

describe('when Redis is down', () => {
  async function withRedisDown<T>(act: () => Promise<T>): Promise<T> {
    await redis.stop();
    try {
      return await act();
    } finally {
      await redis.start();
      if (client.status !== 'ready') await once(client, 'ready');
    }
  }

  it('answers a 503 problem with Retry-After to a signed-in request and to a login, and keeps serving', async () => {
    const app = instance();
    const cookie = await login(app, alice);

    const [me, signIn] = await withRedisDown(async () => [
      await request(app).get('/me').set('Cookie', cookie).timeout({ response: 2_000 }),
      await request(app).post('/login').send({ email: bob.email, password: bob.password }).timeout({ response: 2_000 }),
    ]);
    const health = await request(app).get('/health');

    expectProblem(me, 503, 'session.store_unavailable');
    expectProblem(signIn, 503, 'session.store_unavailable');
    expect(Number(me.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(health.status).toBe(200);
  });
});
