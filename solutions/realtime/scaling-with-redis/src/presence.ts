import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** Who is online across the cluster, kept in Redis by every node. */
export interface Presence {
  /** Starts the heartbeat that keeps this node's entry alive. */
  start(): void;
  /** Stops the heartbeat (the entry then expires within the TTL). */
  stop(): void;
  connected(user: string): Promise<void>;
  disconnected(user: string): Promise<void>;
  /** Every user with a connection on a live node, sorted; rejects when Redis cannot answer. */
  online(): Promise<string[]>;
}

export interface PresenceOptions {
  redis: Redis;
  nodeId: string;
  /** How long a node's entry outlives its last heartbeat. */
  ttlMs: number;
}

export const presenceKeyPrefix = 'presence:node:';
export const presenceKey = (nodeId: string) => `${presenceKeyPrefix}${nodeId}`;

/**
 * Options for the presence client: a command fails at once while Redis is
 * down, instead of waiting in ioredis's offline queue (the default) while a
 * client waits for its ack.
 */
export function presenceRedisOptions(): RedisOptions {
  return { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 };
}

/**
 * Each node owns one hash, `presence:node:<id>` (user → open connections),
 * with a TTL that its heartbeat keeps pushing back. A node that crashes stops
 * the heartbeat and its users vanish when the TTL runs out, with nobody
 * having to clean up after it. The heartbeat rewrites the whole hash from
 * the node's own memory, so the entry comes back by itself after Redis
 * restarts empty or after a write failed.
 */
export function createPresence({ redis, nodeId, ttlMs }: PresenceOptions): Presence {
  const key = presenceKey(nodeId);
  const local = new Map<string, number>();
  let heartbeat: NodeJS.Timeout | undefined;

  async function rewrite(): Promise<void> {
    const write = redis.multi().del(key);
    if (local.size > 0) write.hset(key, Object.fromEntries(local));
    await write.pexpire(key, ttlMs).exec();
  }
  // Presence is best effort: Redis being down must not fail a connection.
  // The next heartbeat, or the reconnection below, repairs what was missed.
  const bestEffort = (work: () => Promise<unknown>) => work().then(
    () => undefined,
    () => undefined,
  );
  const onReady = () => void bestEffort(rewrite);

  return {
    start() {
      redis.on('ready', onReady);
      heartbeat = setInterval(onReady, Math.max(50, Math.floor(ttlMs / 3)));
      onReady();
    },
    stop() {
      clearInterval(heartbeat);
      redis.off('ready', onReady);
    },
    connected(user) {
      local.set(user, (local.get(user) ?? 0) + 1);
      return bestEffort(() => redis.multi().hincrby(key, user, 1).pexpire(key, ttlMs).exec());
    },
    disconnected(user) {
      const left = (local.get(user) ?? 1) - 1;
      if (left > 0) local.set(user, left);
      else local.delete(user);
      return bestEffort(() => (left > 0 ? redis.hincrby(key, user, -1) : redis.hdel(key, user)));
    },
    async online() {
      const keys: string[] = [];
      // SCAN, not KEYS: KEYS blocks Redis for every client while it walks the keyspace.
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${presenceKeyPrefix}*`, 'COUNT', 100);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
      if (keys.length === 0) return [];
      const read = redis.pipeline();
      for (const nodeKey of keys) read.hgetall(nodeKey);
      const users = new Set<string>();
      for (const [error, entry] of (await read.exec()) ?? []) {
        if (error) throw error;
        for (const [user, count] of Object.entries(entry as Record<string, string>)) if (Number(count) > 0) users.add(user);
      }
      return [...users].sort();
    },
  };
}
