import type Redis from 'ioredis';

/** The newest activity of each user, capped so that it never grows without bound. */
export function createActivityFeed(redis: Redis, { cap }: { cap: number }) {
  const key = (userId: string) => `feed:${userId}`;
  return {
    async push(userId: string, entry: string): Promise<void> {
      // LPUSH puts the newest first; LTRIM drops everything past the cap in
      // the same round trip, so the list stays at `cap` however busy the user is.
      await redis.multi().lpush(key(userId), entry).ltrim(key(userId), 0, cap - 1).exec();
    },
    async recent(userId: string, count: number): Promise<string[]> {
      return redis.lrange(key(userId), 0, count - 1);
    },
  };
}
