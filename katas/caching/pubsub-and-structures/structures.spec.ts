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

describe('1. Rank players on a leaderboard', () => {
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

  it('breaks a tie at the cut-off by name, and stops at `count`', async () => {
    const board = createLeaderboard(a, 'ties');
    for (const [player, score] of [['zoe', 250], ['ada', 300], ['cy', 250], ['bob', 250], ['eve', 90]] as const) await board.submit(player, score);

    const fromB = createLeaderboard(b, 'ties');
    const [top1, top2, top3, top4, top9] = [await fromB.top(1), await fromB.top(2), await fromB.top(3), await fromB.top(4), await fromB.top(9)];

    expect(top1).toEqual([{ player: 'ada', score: 300, rank: 1 }]);
    expect(top2).toEqual([
      { player: 'ada', score: 300, rank: 1 },
      { player: 'bob', score: 250, rank: 2 },
    ]);
    expect(top3.map((row) => row.player)).toEqual(['ada', 'bob', 'cy']);
    expect(top4).toEqual([
      { player: 'ada', score: 300, rank: 1 },
      { player: 'bob', score: 250, rank: 2 },
      { player: 'cy', score: 250, rank: 2 },
      { player: 'zoe', score: 250, rank: 2 },
    ]);
    expect(top9.map((row) => [row.player, row.rank])).toEqual([
      ['ada', 1],
      ['bob', 2],
      ['cy', 2],
      ['zoe', 2],
      ['eve', 5],
    ]);
  });

  it('keeps each leaderboard to itself', async () => {
    await createLeaderboard(a, 'spring-cup').submit('ada', 300);
    await createLeaderboard(a, 'autumn-cup').submit('bob', 10);

    const spring = await createLeaderboard(b, 'spring-cup').top(10);
    const autumn = await createLeaderboard(b, 'autumn-cup').rankOf('bob');
    const adaInAutumn = await createLeaderboard(b, 'autumn-cup').rankOf('ada');

    expect(spring).toEqual([{ player: 'ada', score: 300, rank: 1 }]);
    expect([autumn, adaInAutumn]).toEqual([{ player: 'bob', score: 10, rank: 1 }, null]);
  });

  describe('when two instances submit 50 scores of one player at once', () => {
    it('keeps the best of them', async () => {
      const [onA, onB] = [createLeaderboard(a, 'rush'), createLeaderboard(b, 'rush')];
      // The best score goes first: a read-compare-write lets a later, lower one overwrite it.
      const scores = [500, ...Array.from({ length: 49 }, (_, i) => 100 + i)];

      await Promise.all(scores.map((score, i) => (i % 2 === 0 ? onA : onB).submit('ada', score)));

      expect(await onB.rankOf('ada')).toEqual({ player: 'ada', score: 500, rank: 1 });
    });
  });
});

describe('2. Cap an activity feed', () => {
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

  it('keeps one feed per user, each to its own cap, and answers as many entries as there are', async () => {
    const feed = createActivityFeed(a, { cap: 5 });

    for (let i = 1; i <= 8; i += 1) await feed.push('ada', `ada ${i}`);
    await feed.push('bob', 'bob 1');
    const ada = await createActivityFeed(b, { cap: 5 }).recent('ada', 10);
    const bob = await createActivityFeed(b, { cap: 5 }).recent('bob', 10);
    const nobody = await createActivityFeed(b, { cap: 5 }).recent('nobody', 10);

    expect(ada).toEqual(['ada 8', 'ada 7', 'ada 6', 'ada 5', 'ada 4']);
    expect([bob, nobody]).toEqual([['bob 1'], []]);
  });
});

describe('3. Count unique visitors and keep profiles as hashes', () => {
  it('unique visitors (HyperLogLog): counts within its error bound of an exact set, in a fraction of the memory', async () => {
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

  it('unique visitors: counts each day on its own', async () => {
    const counter = createVisitorCounter(a);

    await counter.record('2026-02-01', ['ada', 'bob', 'ada']);
    await counter.record('2026-02-02', ['cy']);
    await counter.record('2026-02-02', []);

    const days = await Promise.all(['2026-02-01', '2026-02-02', '2026-02-03'].map((day) => createVisitorCounter(b).count(day)));
    expect(days).toEqual([2, 1, 0]);
    expect(await Promise.all((await a.keys('*')).map((key) => a.type(key)))).toEqual(['string', 'string']);
  });

  it('a profile (hash) changes one field without rewriting the others, even under 50 concurrent updates from two instances', async () => {
    const [onA, onB] = [createProfileStore(a), createProfileStore(b)];
    await onA.save('ada', { name: 'Ada', city: 'London', bio: 'Analyst' });
    const extras = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`badge${i}`, `earned ${i}`]));

    await Promise.all([
      onA.setField('ada', 'city', 'Paris'),
      onB.setField('ada', 'bio', 'Engine designer'),
      onA.setField('ada', 'lang', 'en'),
      ...Object.entries(extras).map(([field, value], i) => (i % 2 === 0 ? onA : onB).setField('ada', field, value)),
    ]);
    const profile = await onB.get('ada');

    expect(profile).toEqual({ name: 'Ada', city: 'Paris', bio: 'Engine designer', lang: 'en', ...extras });
    expect(await onA.get('nobody')).toBeNull();
    const keys = await a.keys('*');
    expect([keys.length, await a.type(keys[0]!), await a.hget(keys[0]!, 'city')]).toEqual([1, 'hash', 'Paris']);
  });
});
