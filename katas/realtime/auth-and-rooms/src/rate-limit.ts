import type { Clock } from './config';

export interface SocketLimiter {
  /** Counts one message if the quota allows it; otherwise says when to retry. */
  take(): { allowed: boolean; retryAfterMs: number };
}

/**
 * A fixed window per socket, in memory: a socket lives on one node, so its
 * quota needs no shared store (a per-user quota across nodes would use phase
 * 3's Redis limiter).
 */
export function createSocketLimiter({ limit, windowMs }: { limit: number; windowMs: number }, clock: Clock): SocketLimiter {
  return {
    take() {
      // TODO: allow `limit` messages per window of `windowMs` (on clock.now()),
      // then refuse with the milliseconds left until the window ends.
      void [limit, windowMs, clock];
      return { allowed: true, retryAfterMs: 0 };
    },
  };
}
