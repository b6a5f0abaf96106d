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
  // TODO: fail fast while Redis is down, instead of ioredis's default
  // (queue the command and retry for a long time).
  return {};
}

/**
 * Each node owns one hash, `presence:node:<id>` (user → open connections).
 * A user is online while any node's hash counts them.
 */
export function createPresence({ redis, nodeId, ttlMs }: PresenceOptions): Presence {
  const key = presenceKey(nodeId);
  const local = new Map<string, number>();

  return {
    start() {
      // TODO: keep this node's entry alive on a TTL of `ttlMs` (a heartbeat
      // rewriting it from `local`), so that a crashed node's users expire,
      // and rewrite it when Redis comes back empty. Redis being down must
      // never make a connection fail.
      void ttlMs;
    },
    stop() {
      // TODO: stop what start() started.
    },
    async connected(user) {
      local.set(user, (local.get(user) ?? 0) + 1);
      await redis.hincrby(key, user, 1);
    },
    async disconnected(user) {
      // TODO: a user whose last connection closed leaves the hash.
      local.set(user, (local.get(user) ?? 1) - 1);
      await redis.hincrby(key, user, -1);
    },
    async online() {
      const users = new Set<string>();
      for (const nodeKey of await redis.keys(`${presenceKeyPrefix}*`)) {
        for (const [user, count] of Object.entries(await redis.hgetall(nodeKey))) if (Number(count) > 0) users.add(user);
      }
      return [...users].sort();
    },
  };
}
