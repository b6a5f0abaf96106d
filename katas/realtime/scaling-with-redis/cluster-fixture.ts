import { afterEach } from '@jest/globals';
import type Redis from 'ioredis';
import type { ServerOptions } from 'socket.io';
import { connectClient, startSocketCluster, waitFor, type ClientSocket, type ConnectOptions, type RedisHandle, type RunningSocketServer } from '../../../harness';
import { readConfig } from '../../../harness/config';
import { pubSubAdapter, type RedisConnector } from './src/adapter';
import { registerChat } from './src/chat';
import { createPresence, presenceKey, presenceRedisOptions, type Presence } from './src/presence';

export interface Reply {
  ok: boolean;
  error?: { code: string; message: string };
  [field: string]: unknown;
}

export interface Said {
  room: string;
  text: string;
  from: string;
  node: string;
}

export interface Cluster {
  nodes: RunningSocketServer[];
  presences: Presence[];
  /** Each node's presence client (index = node). */
  presenceClients: Redis[];
  /** Every connection the adapters opened. */
  adapterClients: Redis[];
}

const started: Presence[] = [];
afterEach(() => {
  for (const presence of started.splice(0)) presence.stop();
});

export const nodeId = (index: number) => `node-${index}`;

/**
 * `nodes` chat nodes on one Redis, each with the kata's adapter and presence,
 * closed after the test (the harness closes the servers, this file stops the
 * presence heartbeats).
 */
export async function startCluster(
  redis: RedisHandle,
  { nodes = 3, adapter = pubSubAdapter, options = {}, ttlMs = 60_000 }: { nodes?: number; adapter?: (connect: RedisConnector) => ReturnType<typeof pubSubAdapter>; options?: Partial<ServerOptions>; ttlMs?: number } = {},
): Promise<Cluster> {
  const cluster: Cluster = { nodes: [], presences: [], presenceClients: [], adapterClients: [] };
  cluster.nodes = await startSocketCluster({
    redis,
    nodes,
    options,
    adapter: ({ createClient }) =>
      adapter(() => {
        const client = createClient();
        cluster.adapterClients.push(client);
        return client;
      }),
    setup: (io, index) => {
      const client = redis.createClient(presenceRedisOptions());
      const presence = createPresence({ redis: client, nodeId: nodeId(index), ttlMs });
      cluster.presenceClients[index] = client;
      cluster.presences[index] = presence;
      started.push(presence);
      presence.start();
      registerChat(io, { nodeId: nodeId(index), presence });
    },
  });
  // A node's adapter subscribes while its connections come up: wait until it
  // has, so that the first broadcast of a test is not published to nobody.
  // (The streams adapter needs no wait: it reads the stream from its start.)
  if (adapter === pubSubAdapter) await adaptersResubscribed(cluster);
  return cluster;
}

export const as = (user: string, options: ConnectOptions = {}) => ({ auth: { user }, ...options });

/**
 * The harness's event limit (KATA_EVENT_TIMEOUT_MS) as a fetch's safety net: a router that
 * sends a request nowhere (a node that does not exist, a name no resolver knows) fails the
 * test by name instead of hanging until Jest's test timeout.
 */
export const withinEventLimit = (): AbortSignal => AbortSignal.timeout(readConfig().eventTimeoutMs);

// An ack's safety net: half again the harness's event limit (KATA_EVENT_TIMEOUT_MS, 10 s), as acks
// here wait on MongoDB or Redis too. A run against the starter lowers it: no ack comes there.
const ackTimeoutMs = () => readConfig().eventTimeoutMs * 1.5;

export function emitAck(socket: ClientSocket, event: string, payload?: unknown): Promise<Reply> {
  return socket.timeout(ackTimeoutMs()).emitWithAck(event, payload) as Promise<Reply>;
}

/** A client of `user` on `node`, in `room`. */
export async function memberOn(node: RunningSocketServer, user: string, room: string): Promise<ClientSocket> {
  const socket = await connectClient(node, as(user));
  const reply = await emitAck(socket, 'join', { room });
  if (!reply.ok) throw new Error(`join failed: ${JSON.stringify(reply)}`);
  return socket;
}

/**
 * Waits until every adapter connection is back after a Redis restart and has
 * re-subscribed: ioredis re-sends SUBSCRIBE before it reports 'ready', so a
 * PING answered on the same connection comes after it.
 */
export async function adaptersResubscribed(cluster: Cluster): Promise<void> {
  await Promise.all(
    cluster.adapterClients.map(async (client) => {
      // Not events.once: it rejects on the 'error' events ioredis emits for each failed reconnect attempt.
      if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    }),
  );
  await adapterCommandsDone(cluster);
}

/**
 * Waits until Redis has carried out every command the adapters have sent so far
 * (a PING answered on a connection comes after everything sent before it on
 * that connection): the streams adapter stores a dropped client's session and
 * appends each broadcast without waiting for Redis, so a node that reads them
 * next, on its own connection, could otherwise get there first.
 */
export async function adapterCommandsDone(cluster: Cluster): Promise<void> {
  await Promise.all(cluster.adapterClients.map((client) => client.ping()));
}

/** Waits until every adapter connection has seen Redis go away (after `redis.stop()`). */
export async function outageNoticed(cluster: Cluster): Promise<void> {
  await Promise.all(
    cluster.adapterClients.map((client) => (client.status === 'ready' ? new Promise<void>((resolve) => client.once('close', () => resolve())) : undefined)),
  );
}

/**
 * Redis keyspace notifications for the presence keys: resolves on the next
 * `event` (hset, hdel, expired, …) on `key`. Event-driven, so a spec waits
 * for a TTL to run out without guessing how long that takes.
 */
export async function watchPresence(redis: RedisHandle) {
  const admin = redis.createClient();
  await admin.config('SET', 'notify-keyspace-events', 'Kghx');
  const subscriber = redis.createClient();
  await subscriber.psubscribe('__keyspace@0__:presence:*');
  return {
    next(index: number, event: string): Promise<void> {
      const channel = `__keyspace@0__:${presenceKey(nodeId(index))}`;
      const { eventTimeoutMs } = readConfig();
      return new Promise<void>((resolve, reject) => {
        // A safety net, not a measurement: a missing event fails the test with its name.
        const timer = setTimeout(() => {
          subscriber.off('pmessage', onMessage);
          reject(new Error(`no "${event}" on ${presenceKey(nodeId(index))} within ${eventTimeoutMs} ms`));
        }, eventTimeoutMs);
        const onMessage = (_pattern: string, from: string, what: string) => {
          if (from !== channel || what !== event) return;
          clearTimeout(timer);
          subscriber.off('pmessage', onMessage);
          resolve();
        };
        subscriber.on('pmessage', onMessage);
      });
    },
  };
}

export { waitFor };
