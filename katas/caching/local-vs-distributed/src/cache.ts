import type Redis from 'ioredis';

/** What the app needs from a cache: string values under string keys. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** An in-process cache; `size` lets you see how much memory it holds on to. */
export interface LocalCache extends Cache {
  readonly size: number;
}

export interface LocalCacheOptions {
  /** The most entries this process may hold. */
  max: number;
  /** How long an entry may be served, in milliseconds. */
  ttlMs: number;
  /** The clock, in milliseconds (tests pass a fake one). Defaults to performance.now. */
  now?: () => number;
}

/** An in-process cache: the fastest read there is, private to one process. */
export function createLocalCache(_options: LocalCacheOptions): LocalCache {
  // TODO: this Map grows forever and never forgets: bound it (at most `max` entries, least recently used out first) and expire entries after `ttlMs`.
  const entries = new Map<string, string>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.set(key, value);
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

export interface RedisCacheOptions {
  /** How long an entry lives in Redis, in seconds. */
  ttlSeconds: number;
  /** Prepended to every key, so the cache's keys are easy to find and to flush. */
  prefix?: string;
  /** Told about every Redis command that failed or timed out (the cache then answers as a miss). */
  onError?: (error: unknown) => void;
}

/** A distributed cache: one copy in Redis that every app instance reads and invalidates. */
export function createRedisCache(_redis: Redis, _options: RedisCacheOptions): Cache {
  // TODO: these entries live in this process only, so another instance never sees an invalidation: keep them in Redis, with a TTL; a Redis that is down or hangs is a miss (reported to onError), never a 500.
  const entries = new Map<string, string>();
  return {
    async get(key) {
      return entries.get(key);
    },
    async set(key, value) {
      entries.set(key, value);
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/**
 * A two-level cache: a small local cache with a short TTL (level 1) in front of
 * Redis (level 2). Most reads never leave the process; a write reaches the
 * other instances within the local TTL.
 */
export function createTwoLevelCache(_local: LocalCache, remote: Cache): Cache {
  // TODO: read the local copy first, then Redis (filling the local copy from it); write and delete at both levels.
  return remote;
}
