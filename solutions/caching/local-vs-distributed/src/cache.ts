import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

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
export function createLocalCache({ max, ttlMs, now }: LocalCacheOptions): LocalCache {
  // A maintained LRU instead of a Map: a cache keyed by request data is
  // otherwise a memory leak (one entry per id ever asked for), and an entry
  // with no TTL is served stale forever once another process changes the data.
  const entries = new LRUCache<string, string>({
    max,
    ttl: ttlMs,
    // Read the clock on every access: the default caches "now" for 1 ms,
    // which a fake clock would see as time standing still.
    ttlResolution: 0,
    ...(now ? { perf: { now } } : {}),
  });
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
export function createRedisCache(redis: Redis, { ttlSeconds, prefix = 'cache:', onError = reportToConsole }: RedisCacheOptions): Cache {
  // A cache is an optimisation: when Redis is down, or hangs until the
  // client's commandTimeout, the request goes to the database as on a miss
  // instead of failing. A failed delete leaves the old copy to its TTL.
  const orMiss = async <T>(command: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await command();
    } catch (error) {
      onError(error);
      return undefined;
    }
  };
  // One copy for every instance: a delete from any of them is seen by all.
  // The TTL is the safety net for an invalidation that never happened (a
  // crash between the database write and the delete).
  return {
    async get(key) {
      return (await orMiss(() => redis.get(prefix + key))) ?? undefined;
    },
    async set(key, value) {
      await orMiss(() => redis.set(prefix + key, value, 'EX', ttlSeconds));
    },
    async delete(key) {
      await orMiss(() => redis.del(prefix + key));
    },
  };
}

function reportToConsole(error: unknown): void {
  console.warn(`cache: Redis command failed, answering from the database (${error instanceof Error ? error.message : String(error)})`);
}

/**
 * A two-level cache: a small local cache with a short TTL (level 1) in front of
 * Redis (level 2). Most reads never leave the process; a write reaches the
 * other instances within the local TTL.
 */
export function createTwoLevelCache(local: LocalCache, remote: Cache): Cache {
  return {
    async get(key) {
      const near = await local.get(key);
      if (near !== undefined) return near;
      const far = await remote.get(key);
      // Filling level 1 from level 2 keeps the database out of it: another
      // instance already paid for this value.
      if (far !== undefined) await local.set(key, far);
      return far;
    },
    async set(key, value) {
      await remote.set(key, value);
      await local.set(key, value);
    },
    async delete(key) {
      // Redis first: the shared copy is what the other instances refill from.
      // Their own level-1 copies age out within the local TTL, which is the
      // staleness this design accepts (kata 4 broadcasts the delete instead).
      await remote.delete(key);
      await local.delete(key);
    },
  };
}
