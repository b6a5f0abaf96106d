import { describe, expect, it } from '@jest/globals';
import { RedisStateError, useRedis } from './use-redis';

const redis = useRedis();

describe('useRedis()', () => {
  it('starts a real redis-server on a free port for this file', async () => {
    const client = redis.createClient();

    const info = await client.info('server');

    expect(redis.port).toBeGreaterThan(0);
    expect(info).toMatch(/redis_version:\d+\.\d+/);
    expect(info).toContain(`tcp_port:${redis.port}`);
  });

  it('writes a key in one test...', async () => {
    await redis.createClient().set('left-over', 'yes');
  });

  it('...and the next test starts with an empty keyspace', async () => {
    expect(await redis.createClient().dbsize()).toBe(0);
  });

  describe('when a spec injects a fault with stop() and start()', () => {
    it('makes commands fail while stopped and work again on the same port after start()', async () => {
      const client = redis.createClient({ maxRetriesPerRequest: 0, retryStrategy: () => 50 });
      await client.set('before', '1');
      const portBefore = redis.port;

      await redis.stop();
      const whileDown = client.get('before');

      await expect(whileDown).rejects.toThrow();
      expect(redis.state).toBe('stopped');

      await redis.start();
      await waitUntilReady(client);

      expect(redis.port).toBe(portBefore);
      expect(await client.get('before')).toBeNull(); // persistence is off: a restart loses data
      expect(await client.set('after', '2')).toBe('OK');
    });

    it('refuses stop() twice with a typed error naming both states', async () => {
      await redis.stop();

      const second = redis.stop();

      await expect(second).rejects.toBeInstanceOf(RedisStateError);
      await expect(redis.stop()).rejects.toThrow(/needs state "running", but the server is "stopped"/);
      await redis.start();
    });

    it('restarts a server that a failed test left stopped', async () => {
      // The previous test restarted it itself; this one leaves it stopped on purpose
      // and the next test proves afterEach brought it back.
      await redis.stop();
      expect(redis.state).toBe('stopped');
    });

    it('freeze() leaves commands unanswered (bounded by a client commandTimeout) until thaw()', async () => {
      const client = redis.createClient({ commandTimeout: 100, maxRetriesPerRequest: 0 });
      await redis.createClient().set('held', '1');
      await waitUntilReady(client);

      await redis.freeze();
      const whileFrozen = client.get('held');

      await expect(whileFrozen).rejects.toThrow(/timed out/i);
      expect(redis.state).toBe('frozen');
      await redis.thaw();
      expect(await redis.createClient().get('held')).toBe('1');
    });

    it('finds the server running again in the next test', async () => {
      expect(redis.state).toBe('running');
      expect(await redis.createClient().ping()).toBe('PONG');
    });
  });
});

async function waitUntilReady(client: ReturnType<typeof redis.createClient>): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}
