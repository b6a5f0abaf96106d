import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import { Server } from 'socket.io';
import { useRedis } from '../redis/use-redis';
import { connectClient } from './client';
import { startSocketCluster } from './socket-cluster';

const redis = useRedis();
// The in-memory adapter keeps this test about the verb's lifecycle; the
// scaling kata passes @socket.io/redis-adapter's createAdapter here.
const inMemoryAdapter = new Server().adapter()!;

describe('startSocketCluster()', () => {
  it('starts N nodes on their own ports, each with its own adapter and Redis clients, closed with the test', async () => {
    const clients: Redis[] = [];
    const seen: number[] = [];

    const nodes = await startSocketCluster({
      redis,
      nodes: 3,
      adapter: ({ createClient, index }) => {
        clients.push(createClient());
        seen.push(index);
        return inMemoryAdapter;
      },
      setup: (io, index) => io.on('connection', (socket) => socket.emit('node', index)),
    });
    const client = await connectClient(nodes[2]!, { connect: false });
    const node = new Promise((resolve) => client.once('node', resolve));
    client.connect();

    expect(new Set(nodes.map((n) => n.url)).size).toBe(3);
    expect(seen).toEqual([0, 1, 2]);
    expect(await node).toBe(2);
    expect(await clients[0]!.ping()).toBe('PONG');

    const firstClientEnded = once(clients[0]!, 'end');
    await nodes[0]!.close();
    await firstClientEnded;
    expect(clients[1]!.status).not.toBe('end');
  });
});
