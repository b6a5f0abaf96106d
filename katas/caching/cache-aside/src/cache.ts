import type Redis from 'ioredis';

export interface CacheConfig {
  /** How long a found product or a list stays cached, in seconds. */
  ttlSeconds: number;
  /** Up to this many seconds are added at random, so entries cached together do not expire together. */
  jitterSeconds: number;
  /** How long "this product does not exist" stays cached, in seconds. */
  negativeTtlSeconds: number;
  /** false turns the cache off (every read goes to MongoDB), e.g. to measure it. */
  enabled?: boolean;
}

export type CacheStatus = 'HIT' | 'MISS';

export interface Cached<T> {
  value: T;
  status: CacheStatus;
}

export interface ProductCache {
  /** One entry: from Redis when cached, else from `load` (null meaning "not found"). */
  read<T>(key: string, load: () => Promise<T | null>): Promise<Cached<T | null>>;
  /** A list answer named `name` (e.g. its normalised query); every write invalidates all of them. */
  readList<T>(name: string, load: () => Promise<T>): Promise<Cached<T>>;
  /** Called after every write: drops these item keys and every cached list. */
  invalidate(...itemKeys: string[]): Promise<void>;
}

export interface CacheDeps {
  redis: Redis;
  config: CacheConfig;
  /** For the TTL jitter; defaults to Math.random. */
  random?: () => number;
  /** Told about every Redis failure the cache survives (for logs and metrics). */
  onError?: (error: unknown) => void;
}

// TODO: JSON.parse gives back strings where the database gave a Date or an ObjectId, so a cached document is not the document: serialise so both survive.
export function serialize(value: unknown): string {
  return JSON.stringify(value);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Cache-aside over Redis for the product routes. */
export function createProductCache(_deps: CacheDeps): ProductCache {
  return {
    async read(_key, load) {
      // TODO: every read goes to MongoDB: look in Redis first, store what you load with a jittered TTL (a short one for "not found"), let concurrent misses share one load, answer from MongoDB when Redis fails, and never store what a write made stale while you loaded it (keys.generation).
      return { value: await load(), status: 'MISS' };
    },
    async readList(_name, load) {
      // TODO: cache list answers too, under a key that includes the current list generation (keys.listGeneration).
      return { value: await load(), status: 'MISS' };
    },
    async invalidate(..._itemKeys) {
      // TODO: a write must drop the item keys it changed (and their loads in progress, and bump their generations) and leave every cached list behind (bump the list generation).
    },
  };
}
