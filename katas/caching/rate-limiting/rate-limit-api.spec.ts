/*
 * Wrong solutions these specs catch:
 * - counting in Node (read, then write): 100 parallel requests admit more than 10;
 * - a limiter in process memory (express-rate-limit's default store): two
 *   instances give a client twice the quota;
 * - headers only on 429s, or the old X-RateLimit-* names: every answer must
 *   carry RateLimit-Policy and RateLimit;
 * - Retry-After in milliseconds, or as a date computed from the wrong clock;
 * - keying by IP alone (a signed-in user gets a new quota on every network), or
 *   by user alone (anonymous callers share one quota);
 * - `trust proxy: true`: req.ip is the leftmost X-Forwarded-For entry, which the
 *   client writes; rotating it dodges the limit;
 * - keys without a TTL: the keyspace grows with every client ever seen;
 * - letting a Redis error reach the error handler (500), or waiting on ioredis's
 *   offline queue while Redis is down.
 */
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startServer, useRedis, expectProblem } from '../../../harness';
import { createApp, type AppConfig } from './src/app';
import type { Algorithm } from './src/limiters';

const redis = useRedis();
let client: Redis;
beforeAll(async () => {
  // Fail fast while Redis is down (the cache-aside kata's lesson).
  client = redis.createClient({ enableOfflineQueue: false, commandTimeout: 100, maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
});

const secret = 'rate-limit-spec-secret-0123456789abcdef';
const baseConfig: AppConfig = {
  jwtSecret: secret,
  proxyHops: 1,
  rateLimit: { algorithm: 'fixed', limit: 10, windowMs: 60_000 },
  onRedisError: 'open',
};
/** A fixed instant 20 s into a window: no window ends during a test. */
const now = () => 1_700_000_000_000;

function buildApp(overrides: Partial<AppConfig> = {}) {
  return createApp({ redis: client, config: { ...baseConfig, ...overrides }, now, log: () => {} });
}

const bearer = (sub: string) => `Bearer ${jwt.sign({ sub }, secret, { algorithm: 'HS256', expiresIn: '5m' })}`;

/** What our load balancer does: append the address it saw to X-Forwarded-For. */
const viaProxy = (clientAddress: string, forged?: string) => (forged ? `${forged}, ${clientAddress}` : clientAddress);

const policyHeader = /^"[\w-]+";q=10;w=60$/;
const remainingOf = (res: { headers: Record<string, unknown> }) => {
  const match = /^"[\w-]+";r=(\d+);t=(\d+)$/.exec(String(res.headers.ratelimit ?? ''));
  return match ? Number(match[1]) : undefined;
};

describe.each<Algorithm>(['fixed', 'sliding', 'bucket'])('GET /api/quotes/random, limited by the %s algorithm', (algorithm) => {
  describe('when 100 requests arrive at once against a limit of 10', () => {
    it('admits exactly 10; the others get a 429 problem with Retry-After; every answer describes the policy', async () => {
      const { url } = await startServer(buildApp({ rateLimit: { algorithm, limit: 10, windowMs: 60_000 } }));

      const responses = await Promise.all(Array.from({ length: 100 }, () => fetch(`${url}/api/quotes/random`)));
      const bodies = await Promise.all(responses.map((res) => res.json()));

      expect(responses.filter((res) => res.status === 200)).toHaveLength(10);
      expect(responses.filter((res) => res.status === 429)).toHaveLength(90);
      for (const res of responses) {
        expect(res.headers.get('ratelimit-policy')).toMatch(policyHeader);
        expect(res.headers.get('ratelimit')).toMatch(/^"[\w-]+";r=\d+;t=\d+$/);
      }
      const denied = responses.findIndex((res) => res.status === 429);
      expect(Number(responses[denied]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(responses[denied]!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expectProblem({ status: 429, headers: responses[denied]!.headers, body: bodies[denied] }, 429, 'rate_limit.exceeded');
    });
  });
});

describe('two app instances sharing one Redis', () => {
  it('share one quota: 5 requests on each spend it, the 11th is refused wherever it lands', async () => {
    const [a, b] = [buildApp(), buildApp()];

    const remaining: (number | undefined)[] = [];
    for (let i = 0; i < 10; i += 1) remaining.push(remainingOf(await request(i % 2 === 0 ? a : b).get('/api/quotes/random').expect(200)));
    const eleventh = await request(b).get('/api/quotes/random');

    expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expectProblem(eleventh, 429, 'rate_limit.exceeded');
  });
});

describe('whose quota a request spends', () => {
  it('a signed-in user has one quota whatever address they come from; another user has their own', async () => {
    const app = buildApp();
    for (let i = 0; i < 10; i += 1) {
      await request(app).get('/api/quotes/random').set('Authorization', bearer('alice')).set('X-Forwarded-For', viaProxy(`198.51.100.${i}`)).expect(200);
    }

    const aliceElsewhere = await request(app).get('/api/quotes/random').set('Authorization', bearer('alice')).set('X-Forwarded-For', viaProxy('198.51.100.99'));
    const bobSameAddress = await request(app).get('/api/quotes/random').set('Authorization', bearer('bob')).set('X-Forwarded-For', viaProxy('198.51.100.0'));

    expectProblem(aliceElsewhere, 429, 'rate_limit.exceeded');
    expect([bobSameAddress.status, remainingOf(bobSameAddress)]).toEqual([200, 9]);
  });

  describe('when an anonymous client forges X-Forwarded-For', () => {
    it('is still limited by the address our proxy saw', async () => {
      const app = buildApp();

      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) {
        const res = await request(app).get('/api/quotes/random').set('X-Forwarded-For', viaProxy('203.0.113.7', `10.0.0.${i}`));
        statuses.push(res.status);
      }

      expect(statuses).toEqual([...Array(10).fill(200), 429]);
    });
  });

  it('anonymous clients at different addresses have separate quotas', async () => {
    const app = buildApp();
    for (let i = 0; i < 10; i += 1) await request(app).get('/api/quotes/random').set('X-Forwarded-For', viaProxy('203.0.113.7')).expect(200);

    const other = await request(app).get('/api/quotes/random').set('X-Forwarded-For', viaProxy('203.0.113.8'));
    const same = await request(app).get('/api/quotes/random').set('X-Forwarded-For', viaProxy('203.0.113.7'));

    expect([other.status, remainingOf(other)]).toEqual([200, 9]);
    expectProblem(same, 429, 'rate_limit.exceeded');
  });
});

describe('the keyspace', () => {
  it('holds no key without a TTL, whatever the algorithm', async () => {
    for (const algorithm of ['fixed', 'sliding', 'bucket'] as const) {
      const app = buildApp({ rateLimit: { algorithm, limit: 10, windowMs: 60_000 } });
      for (let i = 0; i < 12; i += 1) await request(app).get('/api/quotes/random').set('X-Forwarded-For', viaProxy(`192.0.2.${i % 3}`));
    }

    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 100);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));

    expect(keys.length).toBeGreaterThanOrEqual(9);
    expect(keys.filter((_key, i) => !(ttls[i]! > 0 && ttls[i]! <= 60_000))).toEqual([]);
  });
});

describe('when Redis is down', () => {
  /** Stops Redis for the duration of `act`, then waits until the app's client is back. */
  async function withRedisDown<T>(act: () => Promise<T>): Promise<T> {
    await redis.stop();
    try {
      return await act();
    } finally {
      await redis.start();
      if (client.status !== 'ready') await once(client, 'ready');
    }
  }

  describe('and the limiter is configured to fail open', () => {
    it('answers 200 promptly, still naming the policy', async () => {
      const app = buildApp({ onRedisError: 'open' });

      const res = await withRedisDown(() => request(app).get('/api/quotes/random').timeout({ response: 1_500 }));

      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toMatch(policyHeader);
    });
  });

  describe('and the limiter is configured to fail closed', () => {
    it('answers a 503 problem with Retry-After promptly, never a 500', async () => {
      const app = buildApp({ onRedisError: 'closed' });

      const res = await withRedisDown(() => request(app).get('/api/quotes/random').timeout({ response: 1_500 }));

      expectProblem(res, 503, 'rate_limit.unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });
});
