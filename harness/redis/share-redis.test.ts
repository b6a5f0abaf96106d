import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Redis from 'ioredis';
import { shareRedis, sharedRedisVariable } from './share-redis';
import { RedisSharedError, useRedis } from './use-redis';

// The shared server starts before the handles' own beforeAll (hooks run in the order they are declared).
let shared: Awaited<ReturnType<typeof shareRedis>>;
beforeAll(async () => {
  shared = await shareRedis();
  process.env[sharedRedisVariable] = shared.env[sharedRedisVariable];
});

// A database no handle holds (0, where the free list lives), as another run's would be.
let outside: Redis;
beforeAll(() => {
  outside = new Redis(shared.env[sharedRedisVariable]!);
});

const first = useRedis();
const second = useRedis();

// Declared after the handles, so it runs after they handed their databases back.
afterAll(async () => {
  await outside.quit();
  delete process.env[sharedRedisVariable];
  await shared.close();
});

describe('useRedis() on a server shared with shareRedis()', () => {
  it('gives each file a database of its own on the one server', async () => {
    expect(first.port).toBe(second.port);
    expect(first.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+\/\d+$/);
    expect(first.url).not.toBe(second.url);

    await first.createClient().set('greeting', 'from the first');
    await outside.set('elsewhere', 'kept');

    expect(await second.createClient().get('greeting')).toBeNull();
    expect(await first.createClient().get('greeting')).toBe('from the first');
  });

  it('empties only its own database after a test', async () => {
    expect(await first.createClient().dbsize()).toBe(0);
    expect(await outside.get('elsewhere')).toBe('kept');
  });

  it('refuses fault injection, which would reach the other runs', async () => {
    await expect(first.stop()).rejects.toThrow(RedisSharedError);
    await expect(first.freeze()).rejects.toThrow(RedisSharedError);
    expect(first.state).toBe('running');
  });
});
