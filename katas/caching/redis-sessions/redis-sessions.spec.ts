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
  client = redis.createClient({ enableOfflineQueue: false, commandTimeout: 1_000, maxRetriesPerRequest: 1, lazyConnect: true });
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
const aliceId = () => users.users[0]!.id;
/** The per-user index of alice's sessions: the one key that names her. */
async function aliceIndex(): Promise<string> {
  const keys = await client.keys(`*${aliceId()}*`);
  if (keys.length !== 1) throw new Error(`expected one key naming the user, found ${JSON.stringify(keys)}`);
  return keys[0]!;
}

describe('1. Keep sessions in Redis', () => {
  it('stores the session in Redis, its TTL following the cookie maxAge', async () => {
    const app = instance();

    await login(app, alice);

    const keys = await sessionKeys();
    expect(keys).toHaveLength(1);
    const ttl = await client.ttl(keys[0]!);
    expect(ttl).toBeGreaterThan(maxAgeMs / 1000 - 10);
    expect(ttl).toBeLessThanOrEqual(maxAgeMs / 1000);
  });

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

  it("pushes the session key's TTL forward on every request, as the cookie's", async () => {
    const app = instance();
    const cookie = await login(app, alice);
    const [key] = await sessionKeys();
    await client.pexpire(key!, 5_000);

    await request(app).get('/me').set('Cookie', cookie).expect(200);

    expect(await client.pttl(key!)).toBeGreaterThan(maxAgeMs - 60_000);
  });

  it('POST /logout deletes the session key in Redis, so the old cookie no longer works anywhere', async () => {
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

describe('2. Log out everywhere', () => {
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

  it('answers how many sessions it ended, and leaves the sessions of another user alone', async () => {
    const [a, b] = [instance(), instance()];
    const aliceLaptop = await login(a, alice);
    await login(b, alice);
    await login(a, alice);
    const bobLaptop = await login(a, bob);
    const bobPhone = await login(b, bob);

    const res = await request(a).post('/logout-everywhere').set('Cookie', aliceLaptop);
    const bobs = await Promise.all([bobLaptop, bobPhone].map((cookie) => request(b).get('/me').set('Cookie', cookie)));

    expect([res.status, res.body.ended]).toEqual([200, 3]);
    expect(bobs.map((r) => r.status)).toEqual([200, 200]);
    expect(await sessionKeys()).toHaveLength(2);
  });

  it("POST /logout takes the session out of the user's index too", async () => {
    const app = instance();
    const laptop = await login(app, alice);
    await login(app, alice);

    await request(app).post('/logout').set('Cookie', laptop).expect(204);

    expect(await client.scard(await aliceIndex())).toBe(1);
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

  describe('when a session stays active after the last login', () => {
    it('keeps the per-user index alive as long as that session, so log out everywhere still ends it', async () => {
      const [a, b] = [instance(), instance()];
      const laptop = await login(a, alice);
      const index = await aliceIndex();
      // Time has passed: the index is about to expire, as at the end of a maxAge since login.
      await client.pexpire(index, 5_000);

      await request(a).get('/me').set('Cookie', laptop).expect(200);
      const ttlAfterRequest = await client.pttl(index);
      const phone = await login(b, alice);
      await request(b).post('/logout-everywhere').set('Cookie', phone).expect(200);
      const laptopAfter = await request(a).get('/me').set('Cookie', laptop);

      expect(ttlAfterRequest).toBeGreaterThan(maxAgeMs - 60_000);
      expectProblem(laptopAfter, 401, 'auth.unauthenticated');
    });
  });
});

describe('3. Answer 503 when Redis is down or hangs', () => {
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
      await request(app).get('/me').set('Cookie', cookie).timeout({ response: 8_000 }),
      await request(app).post('/login').send({ email: bob.email, password: bob.password }).timeout({ response: 8_000 }),
    ]);
    const health = await request(app).get('/health');

    expectProblem(me, 503, 'session.store_unavailable');
    expectProblem(signIn, 503, 'session.store_unavailable');
    expect(Number(me.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(health.status).toBe(200);
  });

  it('answers a 503 problem when Redis hangs, once the command timeout has passed, and keeps the session', async () => {
    const app = instance();
    const cookie = await login(app, alice);

    await redis.freeze();
    const me = await request(app).get('/me').set('Cookie', cookie).timeout({ response: 8_000 });
    await redis.thaw();
    const after = await request(app).get('/me').set('Cookie', cookie);

    expectProblem(me, 503, 'session.store_unavailable');
    expect(me.headers['retry-after']).toMatch(/^\d+$/);
    expect([after.status, after.body.userId]).toEqual([200, aliceId()]);
  });
});
