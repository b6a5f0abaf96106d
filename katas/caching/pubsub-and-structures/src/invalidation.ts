import type Redis from 'ioredis';

export interface InvalidationBus {
  /** Subscribes; resolves once Redis confirmed the subscription. */
  start(): Promise<void>;
  /** Tells every subscribed instance to drop `key`; resolves with how many received it. */
  publish(key: string): Promise<number>;
  /** Called for every key another (or this) instance invalidates. */
  onInvalidate(handler: (key: string) => void): void;
  /** Unsubscribes and closes the subscriber connection. */
  close(): Promise<void>;
}

/** Broadcasts cache invalidations between app instances over Redis Pub/Sub. */
export function createInvalidationBus(redis: Redis, { channel = 'cache:invalidate' }: { channel?: string } = {}): InvalidationBus {
  const handlers: ((key: string) => void)[] = [];
  return {
    async start() {
      // TODO: a connection that subscribes can do nothing else (no PUBLISH, no GET): subscribe on a connection of its own (redis.duplicate()), and close it in close().
      redis.on('message', (from: string, key: string) => {
        if (from === channel) for (const handler of handlers) handler(key);
      });
      await redis.subscribe(channel);
    },
    publish(key) {
      return redis.publish(channel, key);
    },
    onInvalidate(handler) {
      handlers.push(handler);
    },
    async close() {
      await redis.unsubscribe(channel);
    },
  };
}
