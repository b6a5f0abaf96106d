import type Redis from 'ioredis';

export interface Standing {
  player: string;
  score: number;
  /** Competition ranking: equal scores share a rank, and the next rank skips (1, 2, 2, 4). */
  rank: number;
}

/** A game's leaderboard: every player's best score. */
export function createLeaderboard(redis: Redis, name: string) {
  const key = `leaderboard:${name}`;
  return {
    /** Records a score; only a player's best one counts. */
    async submit(player: string, score: number): Promise<void> {
      // A sorted set keeps members ordered by score as they are written, so
      // the top N and any player's rank are O(log N) reads, whatever the size.
      // GT: a lower score never replaces a better one, atomically.
      await redis.zadd(key, 'GT', score, player);
    },
    async top(count: number): Promise<Standing[]> {
      if (count <= 0) return [];
      // The score at the cut-off first, then everyone at or above it: `LIMIT`
      // alone would cut a tie at Redis's order (reverse by name under REV) and
      // keep the wrong players among those tied at the last place.
      const [, cutoff] = await redis.zrange(key, String(count - 1), String(count - 1), 'REV', 'WITHSCORES');
      const flat = await redis.zrange(key, '+inf', cutoff ?? '-inf', 'BYSCORE', 'REV', 'WITHSCORES');
      const rows: { player: string; score: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) rows.push({ player: flat[i]!, score: Number(flat[i + 1]) });
      // Players read ties "alphabetical"; Redis orders them by member in reverse.
      rows.sort((a, b) => b.score - a.score || a.player.localeCompare(b.player));
      // Everyone scoring more than a row is in `rows`, so its competition rank
      // (1 + players strictly above) needs no further round trip.
      return rows.slice(0, count).map((row) => ({ ...row, rank: 1 + rows.filter((other) => other.score > row.score).length }));
    },
    async rankOf(player: string): Promise<Standing | null> {
      const score = await redis.zscore(key, player);
      if (score === null) return null;
      return { player, score: Number(score), rank: await rankAt(Number(score)) };
    },
  };

  /** 1 + how many players scored strictly more (ZREVRANK would split ties). */
  async function rankAt(score: number): Promise<number> {
    return 1 + (await redis.zcount(key, `(${score}`, '+inf'));
  }
}
