import type Redis from 'ioredis';

/** The newest activity of each user, capped so that it never grows without bound. */
export function createActivityFeed(_redis: Redis, _options: { cap: number }) {
  // TODO: these feeds live in one process and grow forever: keep each in a Redis list, newest first, trimmed to `cap` (LPUSH + LTRIM).
  const feeds = new Map<string, string[]>();
  return {
    async push(userId: string, entry: string): Promise<void> {
      feeds.set(userId, [entry, ...(feeds.get(userId) ?? [])]);
    },
    async recent(userId: string, count: number): Promise<string[]> {
      return (feeds.get(userId) ?? []).slice(0, count);
    },
  };
}
