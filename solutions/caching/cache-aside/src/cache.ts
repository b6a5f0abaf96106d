import { EJSON } from 'bson';
import type Redis from 'ioredis';
import { keys } from './keys';

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

// Extended JSON keeps the BSON types ({"$date": …}, {"$oid": …}), so a
// document read from the cache is the document read from MongoDB, and code
// calling createdAt.toISOString() works on a hit as on a miss.
export function serialize(value: unknown): string {
  return EJSON.stringify(value, { relaxed: false });
}

export function deserialize<T>(text: string): T {
  return EJSON.parse(text, { relaxed: false }) as T;
}

// Stores a loaded value only if no write has bumped the entry's generation
// since the load began. KEYS[1] is the entry, KEYS[2] its generation (missing
// reads as 0); ARGV holds the generation read before loading, the value and its
// TTL. A script runs atomically, so no invalidation can land between the check
// and the SET: a load that read a document before a write either stores before
// that write's DEL (which then removes it) or sees the bumped count and stores
// nothing.
const storeIfUnchanged = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

/** Cache-aside over Redis for the product routes. */
export function createProductCache({ redis, config, random = Math.random, onError = () => {} }: CacheDeps): ProductCache {
  // Loads in progress, by key: concurrent misses on one key wait for the same
  // load instead of each querying MongoDB (a cache stampede). Per process;
  // across instances a short Redis lock (SET NX PX) would do the same.
  const inflight = new Map<string, Promise<Cached<unknown>>>();
  // The list generation this instance last read from Redis: a guess that
  // saves a round trip (see readList), never trusted without Redis's word.
  let lastListGeneration = '0';

  /** A Redis call whose failure costs us the cache, never the request. */
  async function safely<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      onError(error);
      return undefined;
    }
  }

  function expiresIn(found: boolean): number {
    // "Not found" is remembered briefly: long enough to absorb a burst of
    // requests for a missing id, short enough that a create shows up soon even
    // if its invalidation were lost.
    if (!found) return config.negativeTtlSeconds;
    // Jitter: keys cached in the same second (a warm-up, a deploy) would
    // otherwise expire in the same second and all miss together.
    return config.ttlSeconds + Math.floor(random() * (config.jitterSeconds + 1));
  }

  // A generation counter outlives every load that began before the write that
  // bumped it (those take milliseconds), then expires so counters do not pile
  // up, one per product ever written. Longer than any entry lives, so a load
  // would have to be absurdly slow to see its counter vanish and read 0 again.
  const generationTtl = 2 * (config.ttlSeconds + config.jitterSeconds);

  async function readThrough<T>(key: string, load: () => Promise<T>): Promise<Cached<T>> {
    const generationKey = keys.generation(key);
    // The entry and its generation in one round trip, the generation read
    // *before* loading: a plain GET-load-SET would write back a document read
    // just before a write, after that write's invalidation, for a whole TTL.
    // (Lists come through here too: their counters stay at 0, and a write
    // leaves their old entries behind through the list generation instead.)
    const [hit, generation] = (await safely(() => redis.mget(key, generationKey))) ?? [];
    if (hit !== undefined && hit !== null) return { value: deserialize<T>(hit), status: 'HIT' };
    const value = await load();
    // Unknown generation (Redis failed): the value cannot be checked, so it is not stored.
    if (generation !== undefined) {
      const args = [generation ?? '0', serialize(value), expiresIn(value !== null)];
      await safely(() => redis.eval(storeIfUnchanged, 2, key, generationKey, ...args));
    }
    return { value, status: 'MISS' };
  }

  function coalesced<T>(key: string, load: () => Promise<T>): Promise<Cached<T>> {
    if (config.enabled === false) return load().then((value) => ({ value, status: 'MISS' }));
    const running = inflight.get(key);
    if (running) return running as Promise<Cached<T>>;
    // The entry stays until the value is in Redis, so a request arriving in
    // between finds either this flight or the cached value, never a gap. It
    // only removes itself: invalidate() may have replaced it with a newer flight.
    const flight: Promise<Cached<T>> = readThrough(key, load).finally(() => {
      if (inflight.get(key) === flight) inflight.delete(key);
    });
    inflight.set(key, flight);
    return flight;
  }

  return {
    read(key, load) {
      return coalesced(key, load);
    },
    async readList<T>(name: string, load: () => Promise<T>): Promise<Cached<T>> {
      // Lists are too many to find and delete one by one (every tag, every
      // limit, every user): their keys carry a generation that every write
      // bumps, so all of them are left behind at once and expire on their own.
      if (config.enabled === false) return coalesced(keys.list('0', name), load);
      // The generation moves only on writes, so this instance guesses the one
      // it read last and reads the entry under it together with the current
      // generation: one MGET, atomic, so the pair is consistent. A hit costs
      // one round trip instead of two (read the generation, then the entry).
      // A wrong guess (a write since) is only slower: the entry is then looked
      // up again under the generation just read.
      const guess = lastListGeneration;
      const read = await safely(() => redis.mget(keys.listGeneration, keys.list(guess, name)));
      // Redis failed: load as on a miss (readThrough stores nothing if Redis fails again).
      if (!read) return coalesced(keys.list(guess, name), load);
      const [generation, hit] = read;
      lastListGeneration = generation ?? '0';
      if (lastListGeneration === guess && typeof hit === 'string') return { value: deserialize<T>(hit), status: 'HIT' };
      return coalesced(keys.list(lastListGeneration, name), load);
    },
    async invalidate(...itemKeys) {
      // A load in flight here may have read the document before this write:
      // later requests must start their own load instead of joining it.
      for (const key of itemKeys) inflight.delete(key);
      // One round trip, applied together. The list generation key has no TTL
      // on purpose: it is one small key, and letting it expire would restart
      // the count and revive list entries cached under an old number. Each
      // item's generation tells loads already running that they are stale.
      const batch = redis.multi();
      if (itemKeys.length > 0) batch.del(...itemKeys);
      for (const key of itemKeys) batch.incr(keys.generation(key)).expire(keys.generation(key), generationTtl);
      batch.incr(keys.listGeneration);
      await safely(() => batch.exec());
    },
  };
}
