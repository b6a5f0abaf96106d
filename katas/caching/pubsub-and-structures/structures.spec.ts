/*
 * Wrong solutions these specs catch:
 * - any structure kept in process memory: the second instance sees nothing;
 * - ZREVRANK for ranks: tied players get different ranks;
 * - ZADD without GT (or ZINCRBY): a worse score replaces a player's best;
 * - LPUSH without LTRIM, or RPUSH and reading from the wrong end: the feed grows
 *   forever, or answers oldest first;
 * - an exact SET for unique visitors: right count, hundreds of KB per day;
 * - a profile as one JSON string: two concurrent field updates, one is lost.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import { useRedis } from '../../../harness';
import { createActivityFeed } from './src/feed';
import { createLeaderboard } from './src/leaderboard';
import { createProfileStore } from './src/profiles';
import { createVisitorCounter } from './src/visitors';

const redis = useRedis();
/** Two app instances: two clients, two sets of objects, one Redis. */
let a: Redis;
let b: Redis;
beforeAll(() => {
  [a, b] = [redis.createClient(), redis.createClient()];
});

describe('a leaderboard (sorted set)', () => {
  it("ranks best scores, ties sharing a rank (1, 2, 2, 4), the same on every instance", async () => {
    const onA = createLeaderboard(a, 'spring-cup');
    const onB = createLeaderboard(b, 'spring-cup');

    await onA.submit('ada', 300);
    await onA.submit('cy', 250);
    await onA.submit('bob', 250);
    await onA.submit('dan', 100);
    await onA.submit('ada', 120);
    const top = await onB.top(4);
    const cy = await onB.rankOf('cy');
    const nobody = await onB.rankOf('nobody');

    expect(top).toEqual([
      { player: 'ada', score: 300, rank: 1 },
      { player: 'bob', score: 250, rank: 2 },
      { player: 'cy', score: 250, rank: 2 },
      { player: 'dan', score: 100, rank: 4 },
    ]);
    expect([cy, nobody]).toEqual([{ player: 'cy', score: 250, rank: 2 }, null]);
    expect(await Promise.all((await a.keys('*')).map((key) => a.type(key)))).toEqual(['zset']);
  });
});

describe('an activity feed (capped list)', () => {
  it('keeps the newest `cap` entries, newest first, on every instance', async () => {
    const onA = createActivityFeed(a, { cap: 100 });
    const onB = createActivityFeed(b, { cap: 100 });

    for (let i = 1; i <= 150; i += 1) await onA.push('ada', `event ${i}`);
    const recent = await onB.recent('ada', 3);

    expect(recent).toEqual(['event 150', 'event 149', 'event 148']);
    const keys = await a.keys('*');
    expect(keys).toHaveLength(1);
    expect([await a.type(keys[0]!), await a.llen(keys[0]!)]).toEqual(['list', 100]);
  });
});

describe('unique visitors (HyperLogLog)', () => {
  it('counts within its error bound of an exact set, in a fraction of the memory', async () => {
    const counter = createVisitorCounter(a);
    const visitors = Array.from({ length: 20_000 }, (_, i) => `visitor-${i % 5_000}`);
    for (let i = 0; i < visitors.length; i += 1_000) {
      const batch = visitors.slice(i, i + 1_000);
      await counter.record('2026-01-31', batch);
      await b.sadd('exact:2026-01-31', ...batch);
    }

    const estimate = await createVisitorCounter(b).count('2026-01-31');
    const exact = await b.scard('exact:2026-01-31');

    expect(exact).toBe(5_000);
    // 0.81% standard error; 3 standard errors leave no room for flakiness.
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.0243);
    const counterKey = (await a.keys('*')).find((key) => !key.startsWith('exact:'))!;
    const [hllBytes, setBytes] = [await a.memory('USAGE', counterKey), await a.memory('USAGE', 'exact:2026-01-31')];
    expect(hllBytes).toBeLessThanOrEqual(16 * 1024);
    expect(hllBytes! * 5).toBeLessThan(setBytes!);
  });
});

describe('a profile (hash)', () => {
  it('changes one field without rewriting the others, even under concurrent updates from two instances', async () => {
    const [onA, onB] = [createProfileStore(a), createProfileStore(b)];
    await onA.save('ada', { name: 'Ada', city: 'London', bio: 'Analyst' });

    await Promise.all([onA.setField('ada', 'city', 'Paris'), onB.setField('ada', 'bio', 'Engine designer'), onA.setField('ada', 'lang', 'en')]);
    const profile = await onB.get('ada');

    expect(profile).toEqual({ name: 'Ada', city: 'Paris', bio: 'Engine designer', lang: 'en' });
    expect(await onA.get('nobody')).toBeNull();
    const keys = await a.keys('*');
    expect([keys.length, await a.type(keys[0]!), await a.hget(keys[0]!, 'city')]).toEqual([1, 'hash', 'Paris']);
  });
});
