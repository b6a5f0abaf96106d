import { describe, expect, it } from '@jest/globals';
import { connectClient, startServer, useRedis, waitFor } from '../../../harness';
import { as, emitAck, startCluster, withinEventLimit, type Said } from './cluster-fixture';
import { createRouter } from './src/router';

const redis = useRedis();

/** A client that only long-polls (as behind a proxy that blocks WebSocket), keeping the router's cookie. */
const polling = (user: string) => as(user, { transports: ['polling'], withCredentials: true });

describe('5. Sticky sessions for long polling', () => {
  it('fails without stickiness (the second request of a polling session lands on another node), and works with it', async () => {
    const { nodes } = await startCluster(redis);
    const roundRobin = await startServer(createRouter(nodes.map((node) => node.url), { sticky: false }));
    await expect(connectClient(roundRobin.url, polling('mallory'))).rejects.toThrow();

    const router = await startServer(createRouter(nodes.map((node) => node.url), { sticky: true }));
    const clients = [];
    for (const user of ['alice', 'bob', 'carol']) clients.push(await connectClient(router.url, polling(user)));

    const joined = await Promise.all(clients.map((client) => emitAck(client, 'join', { room: 'lobby' })));
    const received = Promise.all(clients.slice(1).map((client) => waitFor<[Said]>(client, 'said')));
    await emitAck(clients[0]!, 'say', { room: 'lobby', text: 'over polling' });
    const messages = (await received).map(([said]) => said.text);

    expect(joined.map((reply) => reply.node).sort()).toEqual(['node-0', 'node-1', 'node-2']);
    expect(clients.every((client) => client.io.engine.transport.name === 'polling')).toBe(true);
    expect(messages).toEqual(['over polling', 'over polling']);
  });

  it.each(['kata_node=7', 'kata_node=-1', 'kata_node=abc', 'kata_node=1e3'])('treats a forged cookie %s as no cookie', async (cookie) => {
    const { nodes } = await startCluster(redis);
    const router = await startServer(createRouter(nodes.map((node) => node.url), { sticky: true }));

    const res = await fetch(`${router.url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie }, signal: withinEventLimit() });
    const body = await res.text();

    expect(res.status).toBe(200);
    expect(body).toMatch(/^0\{"sid":/);
    expect(res.headers.get('set-cookie')).toMatch(/kata_node=[0-2];/);
  });
});
