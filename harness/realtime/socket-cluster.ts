import type http from 'node:http';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { RedisHandle } from '../redis/use-redis';
import { startSocketServer, type RunningSocketServer } from './socket-server';

/** What `io.adapter()` takes: the result of `createAdapter(...)` from an adapter package. */
export type AdapterFactory = Parameters<Server['adapter']>[0];

export interface SocketClusterOptions {
  /** The Redis every node shares (`useRedis()` at the top of the file). */
  redis: RedisHandle;
  /** How many nodes; default 3. */
  nodes?: number;
  /**
   * Builds one node's adapter. `createClient()` returns a new ioredis client
   * on `redis`, disconnected when that node closes (so a test that stops one
   * node leaves the others' subscriptions alone).
   *
   *   adapter: ({ createClient }) => createAdapter(createClient(), createClient())
   */
  adapter: (context: { createClient(options?: RedisOptions): Redis; index: number }) => AdapterFactory;
  /** Registers the kata's handlers on each node, as `startSocketServer`'s `setup`. */
  setup?: (io: Server, index: number) => unknown;
  /** `new Server()` options for every node. */
  options?: Partial<ServerOptions>;
  /** Each node's HTTP app (non-Socket.io requests); 404 by default. */
  app?: (index: number) => http.RequestListener;
}

/**
 * N Socket.io servers in this process, each on its own port, joined by the
 * adapter you choose on one Redis. Each node is a {@link RunningSocketServer}
 * closed with the test (or the file, from `beforeAll`); `nodes[i].close()`
 * stops one early, as a crashed node would vanish.
 *
 * @example
 *   const redis = useRedis();
 *   const nodes = await startSocketCluster({
 *     redis,
 *     adapter: ({ createClient }) => createAdapter(createClient(), createClient()),
 *     setup: (io) => registerChat(io),
 *   });
 *   const alice = await connectClient(nodes[0]!);
 *   const bob = await connectClient(nodes[2]!);
 */
export async function startSocketCluster({
  redis,
  nodes = 3,
  adapter,
  setup = () => {},
  options = {},
  app,
}: SocketClusterOptions): Promise<RunningSocketServer[]> {
  const started: RunningSocketServer[] = [];
  for (let index = 0; index < nodes; index++) {
    const clients: Redis[] = [];
    const createClient = (clientOptions?: RedisOptions) => {
      const client = redis.createClient(clientOptions);
      clients.push(client);
      return client;
    };
    const node = await startSocketServer(
      async (io) => {
        io.adapter(adapter({ createClient, index }));
        await setup(io, index);
      },
      { options, ...(app ? { app: app(index) } : {}) },
    );
    const closeNode = node.close.bind(node);
    let closing: Promise<void> | undefined;
    started.push(
      Object.assign(node, {
        close() {
          closing ??= closeNode().then(() =>
            // QUIT, not disconnect(): closing the adapter sends UNSUBSCRIBEs
            // without awaiting them, and disconnect() would reject those
            // pending commands ("Connection is closed.") as unhandled
            // rejections. QUIT is answered after them. A client that is not
            // connected (Redis stopped by the test) is simply disconnected.
            Promise.all(
              clients.map(async (client) => {
                if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
                else client.disconnect();
              }),
            ).then(() => undefined),
          );
          return closing;
        },
      }),
    );
  }
  return started;
}
