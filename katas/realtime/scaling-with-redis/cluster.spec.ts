import { describe, expect, it } from '@jest/globals';
import { connectClient, useRedis, waitFor } from '../../../harness';
import { adapterCommandsDone, as, emitAck, memberOn, startCluster, type Said } from './cluster-fixture';
import { streamsAdapter } from './src/adapter';

const redis = useRedis();

describe('1. Broadcast across nodes', () => {
  it('delivers a message said on one node to the room members on every node, and only to them (users named in the handshake)', async () => {
    const { nodes } = await startCluster(redis);
    await expect(connectClient(nodes[0]!, { auth: {} })).rejects.toMatchObject({ data: { code: 'auth.user_missing' } });
    const alice = await memberOn(nodes[0]!, 'alice', 'lobby');
    const bob = await memberOn(nodes[1]!, 'bob', 'lobby');
    const carol = await memberOn(nodes[2]!, 'carol', 'lobby');
    const dave = await memberOn(nodes[2]!, 'dave', 'kitchen');
    const daveSaw: Said[] = [];
    dave.on('said', (said: Said) => daveSaw.push(said));

    const received = Promise.all([alice, bob, carol].map((socket) => waitFor<[Said]>(socket, 'said')));
    const reply = await emitAck(alice, 'say', { room: 'lobby', text: 'hello everyone' });
    const messages = (await received).map(([said]) => said);
    // Published after the lobby message by the same node: if dave were going
    // to get the lobby message, it would arrive before this one.
    const kitchen = waitFor<[Said]>(dave, 'said');
    await emitAck(alice, 'say', { room: 'kitchen', text: 'for the kitchen' });
    await kitchen;

    expect(reply).toEqual({ ok: true });
    expect(messages).toEqual(Array(3).fill({ room: 'lobby', text: 'hello everyone', from: 'alice', node: 'node-0' }));
    expect(daveSaw.map((said) => said.text)).toEqual(['for the kitchen']);
  });

  it.each([
    ['no room', { text: 'hi' }],
    ['a room that is an object', { room: { $ne: null }, text: 'hi' }],
    ['an empty text', { room: 'lobby', text: '' }],
    ['a text of 1,001 characters', { room: 'lobby', text: 'x'.repeat(1_001) }],
    ['a number', 42],
  ])('answers %s with validation.failed and broadcasts nothing', async (_case, payload) => {
    const { nodes } = await startCluster(redis);
    const alice = await memberOn(nodes[0]!, 'alice', 'lobby');
    const bob = await memberOn(nodes[1]!, 'bob', 'lobby');
    const bobSaw: Said[] = [];
    bob.on('said', (said: Said) => bobSaw.push(said));

    const reply = await emitAck(alice, 'say', payload);
    const next = waitFor<[Said]>(bob, 'said');
    await emitAck(alice, 'say', { room: 'lobby', text: 'valid' });
    await next;

    expect(reply).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    expect(bobSaw.map((said) => said.text)).toEqual(['valid']);
  });

  it('recovers a client that drops from one node and reconnects to another, on the streams adapter', async () => {
    const cluster = await startCluster(redis, {
      adapter: streamsAdapter,
      options: { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } },
    });
    const { nodes } = cluster;
    const bob = await memberOn(nodes[0]!, 'bob', 'lobby');
    const alice = await memberOn(nodes[2]!, 'alice', 'lobby');
    const first = waitFor<[Said]>(bob, 'said');
    await emitAck(alice, 'say', { room: 'lobby', text: 'before the drop' });
    await first;
    const serverSide = nodes[0]!.io.of('/').sockets.get(bob.id!)!;
    const serverSawDrop = waitFor(serverSide, 'disconnect');

    bob.io.engine.close();
    await serverSawDrop;
    await emitAck(alice, 'say', { room: 'lobby', text: 'while away' });
    // Node 0 stored bob's session, and node 2 appended the message, without waiting for Redis.
    await adapterCommandsDone(cluster);
    // The load balancer sends the reconnection to another node.
    (bob.io as unknown as { uri: string }).uri = nodes[1]!.url;
    const missed = waitFor<[Said]>(bob, 'said');
    bob.connect();
    await waitFor(bob, 'connect');
    const [said] = await missed;

    expect(bob.recovered).toBe(true);
    expect(said.text).toBe('while away');
  });
});

describe('2. Ask the whole cluster', () => {
  it('lists the members of a room on every node with fetchSockets(), each user once', async () => {
    const { nodes } = await startCluster(redis);
    await memberOn(nodes[0]!, 'alice', 'lobby');
    await memberOn(nodes[1]!, 'bob', 'lobby');
    await memberOn(nodes[2]!, 'alice', 'lobby');
    await memberOn(nodes[2]!, 'dave', 'kitchen');
    const asker = await connectClient(nodes[1]!, as('carol'));

    const reply = await emitAck(asker, 'who', { room: 'lobby' });

    expect(reply).toEqual({ ok: true, room: 'lobby', users: ['alice', 'bob'] });
  });

  it('counts the nodes and every connection of the cluster with serverSideEmit', async () => {
    const { nodes } = await startCluster(redis);
    await connectClient(nodes[0]!, as('a'));
    await connectClient(nodes[0]!, as('b'));
    await connectClient(nodes[2]!, as('c'));
    const asker = await connectClient(nodes[1]!, as('d'));

    const reply = await emitAck(asker, 'stats');

    expect(reply).toEqual({ ok: true, nodes: 3, connections: 4 });
  });

  it('disconnects every connection of a user, on every node, from any node', async () => {
    const { nodes } = await startCluster(redis);
    const alicePhone = await connectClient(nodes[0]!, as('alice'));
    const aliceLaptop = await connectClient(nodes[2]!, as('alice'));
    const bob = await connectClient(nodes[2]!, as('bob'));
    const admin = await connectClient(nodes[1]!, as('admin'));

    const dropped = Promise.all([waitFor(alicePhone, 'disconnect'), waitFor(aliceLaptop, 'disconnect')]);
    const reply = await emitAck(admin, 'kick', { user: 'alice' });
    const reasons = (await dropped).map(([reason]) => reason);

    expect(reply).toEqual({ ok: true });
    expect(reasons).toEqual(['io server disconnect', 'io server disconnect']);
    expect(bob.connected).toBe(true);
    expect(await emitAck(bob, 'who', { room: 'user:bob' })).toMatchObject({ ok: false });
  });
});
