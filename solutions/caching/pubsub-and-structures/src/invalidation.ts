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
  let subscriber: Redis | undefined;
  return {
    async start() {
      // A connection in subscriber mode accepts only (P|S)SUBSCRIBE, PING and
      // QUIT: it needs its own connection, or every other command of the app
      // fails. duplicate() copies the options, not the state.
      subscriber = redis.duplicate();
      subscriber.on('error', () => {});
      subscriber.on('message', (from: string, key: string) => {
        if (from === channel) for (const handler of handlers) handler(key);
      });
      await subscriber.subscribe(channel);
    },
    publish(key) {
      // Fire-and-forget: an instance that is not subscribed right now never
      // gets this message (a Stream would keep it; see event-log.ts).
      return redis.publish(channel, key);
    },
    onInvalidate(handler) {
      handlers.push(handler);
    },
    async close() {
      if (subscriber && subscriber.status !== 'end') await subscriber.quit();
      subscriber = undefined;
    },
  };
}
