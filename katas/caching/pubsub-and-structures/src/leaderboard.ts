import type Redis from 'ioredis';

export interface Standing {
  player: string;
  score: number;
  /** Competition ranking: equal scores share a rank, and the next rank skips (1, 2, 2, 4). */
  rank: number;
}

/** A game's leaderboard: every player's best score. */
export function createLeaderboard(_redis: Redis, _name: string) {
  // TODO: this board lives in one process and sorts everything on every read: keep it in a Redis sorted set (ZADD GT, ZRANGE … REV, ZCOUNT for ranks with ties).
  const best = new Map<string, number>();
  const standings = (): Standing[] => {
    const rows = [...best].map(([player, score]) => ({ player, score })).sort((a, b) => b.score - a.score);
    return rows.map((row, i) => ({ ...row, rank: i + 1 }));
  };
  return {
    /** Records a score; only a player's best one counts. */
    async submit(player: string, score: number): Promise<void> {
      best.set(player, Math.max(score, best.get(player) ?? -Infinity));
    },
    async top(count: number): Promise<Standing[]> {
      return standings().slice(0, count);
    },
    async rankOf(player: string): Promise<Standing | null> {
      return standings().find((s) => s.player === player) ?? null;
    },
  };
}
