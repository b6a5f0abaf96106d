import type Redis from 'ioredis';
import { SESSION_PREFIX } from './session';

/**
 * The sessions of each user, so that "log out everywhere" can find them: a
 * Redis set per user holding their session ids.
 */
export function userSessions(redis: Redis, { maxAgeMs }: { maxAgeMs: number }) {
  const setKey = (userId: string) => `user-sessions:${userId}`;
  return {
    async add(userId: string, sessionId: string): Promise<void> {
      // The set's TTL is pushed forward with every login (and every request,
      // in touch), so it lives as long as the most recently active session in
      // it and then goes, instead of growing forever.
      await redis.multi().sadd(setKey(userId), sessionId).pexpire(setKey(userId), maxAgeMs).exec();
    },
    /** Called on every signed-in request, as express-session pushes the session's own TTL forward. */
    async touch(userId: string): Promise<void> {
      // Every session has the same lifetime, so the last one touched is the
      // last one to expire: the set may go then, not at the last login.
      await redis.pexpire(setKey(userId), maxAgeMs);
    },
    async remove(userId: string, sessionId: string): Promise<void> {
      await redis.srem(setKey(userId), sessionId);
    },
    /** Deletes every session of the user; returns how many there were. */
    async destroyAll(userId: string): Promise<number> {
      const ids = await redis.smembers(setKey(userId));
      // Ids of sessions that already expired are in the set too; deleting a
      // missing key is harmless, and DEL answers how many really existed.
      const [deleted] = (await redis
        .multi()
        .del(...ids.map((id) => SESSION_PREFIX + id), setKey(userId))
        .exec()) as [[Error | null, number]];
      return Math.max(0, deleted[1] - 1);
    },
  };
}
