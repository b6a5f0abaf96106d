import type Redis from 'ioredis';
import { SESSION_PREFIX } from './session';

/**
 * The sessions of each user, so that "log out everywhere" can find them: a
 * Redis set per user holding their session ids.
 */
export function userSessions(_redis: Redis, _options: { maxAgeMs: number }) {
  return {
    async add(_userId: string, _sessionId: string): Promise<void> {
      // TODO: remember this session id in the user's set (and keep the set from outliving the sessions in it).
    },
    /** Called on every signed-in request, as express-session pushes the session's own TTL forward. */
    async touch(_userId: string): Promise<void> {
      // TODO: push the set's TTL forward too, so it never expires before a session in it.
    },
    async remove(_userId: string, _sessionId: string): Promise<void> {
      // TODO: forget this session id.
    },
    /** Deletes every session of the user; returns how many there were. */
    async destroyAll(_userId: string): Promise<number> {
      // TODO: delete every session document of the user (SESSION_PREFIX + id) and the set itself.
      void SESSION_PREFIX;
      return 0;
    },
  };
}
