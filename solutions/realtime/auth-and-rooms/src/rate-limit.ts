import type { Clock } from './config';

export interface SocketLimiter {
  /** Counts one message if the quota allows it; otherwise says when to retry. */
  take(): { allowed: boolean; retryAfterMs: number };
}

/**
 * A fixed window per socket, in memory: a socket lives on one node, so its
 * quota needs no shared store (a per-user quota across nodes would use phase
 * 3's Redis limiter). Refused attempts do not count: a client that retries too
 * early is not punished twice.
 */
export function createSocketLimiter({ limit, windowMs }: { limit: number; windowMs: number }, clock: Clock): SocketLimiter {
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  return {
    take() {
      const now = clock.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        used = 0;
      }
      if (used >= limit) return { allowed: false, retryAfterMs: windowStart + windowMs - now };
      used += 1;
      return { allowed: true, retryAfterMs: 0 };
    },
  };
}
