import { once } from 'node:events';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { CROWD_TEST_TIMEOUT_MS, startServer, useRedis, expectProblem } from '../../../harness';
import { createApp, type AppConfig } from './src/app';
import type { Algorithm } from './src/limiters';

const redis = useRedis();
const commandTimeoutMs = 2_000;
/** How long a request may take while Redis is down or hung: a few command timeouts. */
const answerBoundMs = commandTimeoutMs * 4;
let client: Redis;
beforeAll(async () => {
  // Fail fast while Redis is down or hung (the cache-aside kata's lesson), with
  // a timeout no busy machine reaches for a healthy Redis.
  client = redis.createClient({ enableOfflineQueue: false, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 1, lazyConnect: true });
  await client.connect();
});

const secret = 'rate-limit-spec-secret-0123456789abcdef';
const baseConfig: AppConfig = {
  jwtSecret: secret,
  proxyHops: 1,
  rateLimit: { algorithm: 'fixed', limit: 10, windowMs: 60_000 },
  onRedisError: 'open',
};
/**
 * A fixed instant 20.25 s into a 60 s window (and 20.25 s into a 30 s one): no
 * window ends during a test, and the time to the window's end is not a whole
 * number of seconds, so its rounding shows.
 */
const now = () => 1_700_000_000_250;

function buildApp(overrides: Partial<AppConfig> = {}) {
  return createApp({ redis: client, config: { ...baseConfig, ...overrides }, now, log: () => {} });
}

const bearer = (sub: string) => `Bearer ${jwt.sign({ sub }, secret, { algorithm: 'HS256', expiresIn: '5m' })}`;

/** What our load balancer does: append the address it saw to X-Forwarded-For. */
const viaProxy = (clientAddress: string, forged?: string) => (forged ? `${forged}, ${clientAddress}` : clientAddress);

const policyHeader = /^"(fixed|sliding|bucket)";q=10;w=60$/;
const remainingOf = (res: { headers: Record<string, unknown> }) => {
  const match = /^"[\w-]+";r=(\d+);t=(\d+)$/.exec(String(res.headers.ratelimit ?? ''));
  return match ? Number(match[1]) : undefined;
};

/** What a refused request says, per algorithm, at `now()` with 10 admitted at once (limit 10, 60 s). */
const whenRefused = {
  // The window ends in 39.75 s: both round up, so a client that waits that long is admitted.
  fixed: { rateLimit: '"fixed";r=0;t=40', retryAfter: '40' },
  // The oldest of the 10 leaves the log 60 s after it came.
  sliding: { rateLimit: '"sliding";r=0;t=60', retryAfter: '60' },
  // One token comes back every 6 s; the bucket is full again in 60 s.
  bucket: { rateLimit: '"bucket";r=0;t=60', retryAfter: '6' },
};

describe('4. Describe the policy in headers and answer 429', () => {
  describe.each<Algorithm>(['fixed', 'sliding', 'bucket'])('GET /api/quotes/random, limited by the %s algorithm', (algorithm) => {
    describe('when 100 requests arrive at once against a limit of 10', () => {
      it('admits exactly 10; the others get a 429 problem with Retry-After; every answer describes the policy', async () => {
        // Closed: a limiter that failed could only refuse, never admit an 11th.
        const { url } = await startServer(buildApp({ rateLimit: { algorithm, limit: 10, windowMs: 60_000 }, onRedisError: 'closed' }));

        const responses = await Promise.all(Array.from({ length: 100 }, () => fetch(`${url}/api/quotes/random`)));
        const bodies = await Promise.all(responses.map((res) => res.json()));

        const admitted = responses.filter((res) => res.status === 200);
        const refused = responses.filter((res) => res.status === 429);
        expect([admitted.length, refused.length]).toEqual([10, 90]);
        expect(responses.map((res) => res.headers.get('ratelimit-policy'))).toEqual(Array(100).fill(`"${algorithm}";q=10;w=60`));
        const remaining = admitted.map((res) => /^"(\w+)";r=(\d+);t=(\d+)$/.exec(res.headers.get('ratelimit') ?? '')?.slice(1, 3));
        expect(remaining.sort((x, y) => Number(y?.[1]) - Number(x?.[1]))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((r) => [algorithm, String(r)]));
        expect(refused.map((res) => [res.headers.get('ratelimit'), res.headers.get('retry-after')])).toEqual(
          Array(90).fill([whenRefused[algorithm].rateLimit, whenRefused[algorithm].retryAfter]),
        );
        const denied = responses.indexOf(refused[0]!);
        expectProblem({ status: 429, headers: refused[0]!.headers, body: bodies[denied] }, 429, 'rate_limit.exceeded');
        // 100 HTTP round trips at once.
      }, CROWD_TEST_TIMEOUT_MS);
    });
  });

  describe('with another policy (3 requests per 30 s)', () => {
    it('names that policy and counts to it', async () => {
      const app = buildApp({ rateLimit: { algorithm: 'fixed', limit: 3, windowMs: 30_000 } });

      const responses = [];
      for (let i = 0; i < 4; i += 1) responses.push(await request(app).get('/api/quotes/random'));

      expect(responses.map((res) => [res.status, res.headers['ratelimit-policy'], res.headers.ratelimit])).toEqual([
        [200, '"fixed";q=3;w=30', '"fixed";r=2;t=10'],
        [200, '"fixed";q=3;w=30', '"fixed";r=1;t=10'],
        [200, '"fixed";q=3;w=30', '"fixed";r=0;t=10'],
        [429, '"fixed";q=3;w=30', '"fixed";r=0;t=10'],
      ]);
      expect(responses[3]!.headers['retry-after']).toBe('10');
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
});

describe('5. Key by user, or by the address our proxy saw', () => {
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

  describe.each([
    // hops, what the proxies in front of the app append, and what stays the client's own
    [0, (client: string, forged: string) => `${forged}, ${client}`],
    [1, (client: string, forged: string) => `${forged}, ${client}`],
    [2, (client: string, forged: string) => `${forged}, ${client}, 10.0.0.2`],
  ] as const)('with %i proxies of ours in front (proxyHops)', (proxyHops, forwardedFor) => {
    it('spends the quota of the address the outermost of our proxies saw, whatever the client wrote before it', async () => {
      const app = buildApp({ proxyHops });
      const from = (client: string, forged: string) => request(app).get('/api/quotes/random').set('X-Forwarded-For', forwardedFor(client, forged));

      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await from('203.0.113.7', `10.9.0.${i}`)).status);
      const other = await from('203.0.113.8', '10.9.0.0');

      expect(statuses).toEqual([...Array(10).fill(200), 429]);
      // With no proxy of ours, every request comes from the test's own socket: one client.
      expect(other.status).toBe(proxyHops === 0 ? 429 : 200);
    });
  });
});

describe('6. Choose to fail open or closed when Redis is down or hangs', () => {
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

      const res = await withRedisDown(() => request(app).get('/api/quotes/random').timeout({ response: answerBoundMs }));

      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-policy']).toMatch(policyHeader);
    });
  });

  describe('and the limiter is configured to fail closed', () => {
    it('answers a 503 problem with Retry-After promptly, never a 500', async () => {
      const app = buildApp({ onRedisError: 'closed' });

      const res = await withRedisDown(() => request(app).get('/api/quotes/random').timeout({ response: answerBoundMs }));

      expectProblem(res, 503, 'rate_limit.unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('when Redis hangs (accepts commands, never answers)', () => {
    it.each([
      ['open', 200],
      ['closed', 503],
    ] as const)('configured %s, answers %i once the command timeout has passed', async (onRedisError, status) => {
      const app = buildApp({ onRedisError });

      await redis.freeze();
      const res = await request(app).get('/api/quotes/random').timeout({ response: answerBoundMs });
      await redis.thaw();

      expect(res.status).toBe(status);
      expect(res.headers['ratelimit-policy']).toBe('"fixed";q=10;w=60');
      if (status === 503) expectProblem(res, 503, 'rate_limit.unavailable');
    });
  });
});
