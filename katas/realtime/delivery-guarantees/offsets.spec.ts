import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as ChatModule from './src/chat';
import { connectClient, CROWD_TEST_TIMEOUT_MS, expectNoEvent, useMongo, waitFor, type ClientSocket } from '../../../harness';
import { collect, emitAck, indexesBuilt, member, newKey, offsets, range, send, startChatNode, stored, untilCount, type Reply } from './chat-fixture';

const mongo = useMongo();
beforeAll(indexesBuilt);

/**
 * A chat node in a process of its own, as a second instance behind a load balancer runs: the
 * kata's modules loaded afresh (memory of their own, module-level state included) on a MongoDB
 * connection of their own. startChatNode's nodes share this process's modules.
 */
async function withNodeInAnotherProcess(use: (node: { url: string }) => Promise<void>): Promise<void> {
  await jest.isolateModulesAsync(async () => {
    // Loaded here, inside the isolation: fresh instances, not this file's.
    const mongoose = jest.requireActual<typeof import('mongoose')>('mongoose');
    const { Server } = jest.requireActual<typeof import('socket.io')>('socket.io');
    const { createChat } = jest.requireActual<typeof ChatModule>('./src/chat');
    await mongoose.connect(mongo.uri);
    const chat = createChat({ log: () => {} });
    const server = http.createServer(chat.app);
    const io = new Server(server);
    chat.register(io);
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await use({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    } finally {
      await io.close();
      await mongoose.disconnect();
    }
  });
}

/** `count` clients, alternating between the nodes given. */
async function clientsOn(nodes: { url: string }[], count: number): Promise<ClientSocket[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => connectClient(nodes[i % nodes.length]!)));
}

describe('2. Offsets without gaps or duplicates', () => {
  it('gives 50 concurrent senders on two nodes the offsets 1 to 50, each exactly once', async () => {
    const nodes = [await startChatNode(), await startChatNode()];
    const senders = await clientsOn(nodes, 50);

    const replies = await Promise.all(senders.map((socket, i) => send(socket, 'lobby', `message ${i}`)));

    expect(replies.every((reply) => reply.ok)).toBe(true);
    expect(offsets(replies.map((reply) => reply.message!)).sort((a, b) => a - b)).toEqual(range(1, 50));
    expect(offsets(await stored('lobby'))).toEqual(range(1, 50));
    // 50 transactions on one counter conflict and retry with backoff: 0.8 s idle, 23 s on a busy machine.
  }, CROWD_TEST_TIMEOUT_MS);

  it('numbers each room on its own', async () => {
    const node = await startChatNode();
    const alice = await connectClient(node);

    const replies: Reply[] = [];
    for (const room of ['a', 'b', 'a', 'a', 'b']) replies.push(await send(alice, room, `to ${room}`));

    expect(replies.map((reply) => `${reply.message!.room}:${reply.message!.offset}`)).toEqual(['a:1', 'b:1', 'a:2', 'a:3', 'b:2']);
  });

  it('continues after the last stored offset when a node starts on an existing room', async () => {
    const first = await startChatNode();
    const alice = await connectClient(first);
    for (let i = 0; i < 3; i++) await send(alice, 'lobby', `before restart ${i}`);
    await first.close();

    const restarted = await startChatNode();
    const reply = await send(await connectClient(restarted), 'lobby', 'after restart');

    expect(reply).toMatchObject({ ok: true, message: { offset: 4 } });
  });

  it('continues the offsets another process stored: the counter lives in MongoDB, not in a node', async () => {
    await withNodeInAnotherProcess(async (other) => {
      const alice = await connectClient(other);
      for (let i = 0; i < 3; i++) await send(alice, 'lobby', `from the other process ${i}`);
      alice.disconnect();
    });

    const node = await startChatNode();
    const reply = await send(await connectClient(node), 'lobby', 'from this one');

    expect(reply).toMatchObject({ ok: true, message: { offset: 4 } });
    expect(offsets(await stored('lobby'))).toEqual([1, 2, 3, 4]);
  });

  it('acks a flood of 100 sends from one client in the order sent, and broadcasts them in offset order', async () => {
    const node = await startChatNode();
    const bob = await member(node, 'lobby');
    const seen = collect(bob);
    const alice = await connectClient(node);

    const replies = await Promise.all(range(1, 100).map((i) => send(alice, 'lobby', `flood ${i}`)));
    await untilCount(bob, seen, 100);

    expect(replies.map((reply) => reply.message?.body)).toEqual(range(1, 100).map((i) => `flood ${i}`));
    expect(offsets(replies.map((reply) => reply.message!))).toEqual(range(1, 100));
    expect(offsets(seen)).toEqual(range(1, 100));
    // 100 sends in one room, one counter: 14 s on a busy machine.
  }, CROWD_TEST_TIMEOUT_MS);
});

describe('3. Retries store once', () => {
  it('answers a retry with the stored message (duplicate: true) and broadcasts it only once', async () => {
    const node = await startChatNode();
    const bob = await member(node, 'lobby');
    const alice = await connectClient(node);
    const key = newKey();
    const delivered = waitFor(bob, 'message');
    const first = await emitAck(alice, 'send', { room: 'lobby', key, body: 'hello' });
    await delivered;

    let retry: Reply | undefined;
    await expectNoEvent(bob, 'message', {
      whileDoing: async () => {
        retry = await emitAck(alice, 'send', { room: 'lobby', key, body: 'hello' });
      },
    });

    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(retry).toEqual({ ok: true, duplicate: true, message: first.message });
    expect(await stored('lobby')).toHaveLength(1);
  });

  it('turns 50 parallel retries of one send, over two nodes, into one message, and leaves no gap after it', async () => {
    const nodes = [await startChatNode(), await startChatNode()];
    const senders = await clientsOn(nodes, 10);
    const key = newKey();

    const replies = await Promise.all(range(1, 50).map((i) => emitAck(senders[i % senders.length]!, 'send', { room: 'lobby', key, body: 'once' })));
    const next = await send(senders[0]!, 'lobby', 'the next one');

    expect(replies.every((reply) => reply.ok && reply.message!.offset === 1 && reply.message!.key === key)).toBe(true);
    expect(replies.filter((reply) => reply.duplicate === false)).toHaveLength(1);
    expect(next).toMatchObject({ ok: true, message: { offset: 2 } });
    expect(offsets(await stored('lobby'))).toEqual([1, 2]);
  });

  it('races 20 keys, each sent to both nodes at once, into 20 messages with offsets 1 to 20', async () => {
    const nodes = [await startChatNode(), await startChatNode()];
    const [left, right] = await clientsOn(nodes, 2);
    const keys = range(1, 20).map(() => newKey());

    const replies = await Promise.all(
      keys.flatMap((key, i) => [left!, right!].map((socket) => emitAck(socket, 'send', { room: 'lobby', key, body: `m${i}` }))),
    );

    expect(replies.every((reply) => reply.ok)).toBe(true);
    expect(offsets(await stored('lobby'))).toEqual(range(1, 20));
  });

  it('refuses to reuse a key for a different body, and keeps the first message', async () => {
    const node = await startChatNode();
    const alice = await connectClient(node);
    const key = newKey();
    await emitAck(alice, 'send', { room: 'lobby', key, body: 'original' });

    const reused = await emitAck(alice, 'send', { room: 'lobby', key, body: 'something else' });

    expect(reused).toEqual({ ok: false, error: { code: 'idempotency.key_reused', message: expect.any(String) } });
    expect((await stored('lobby')).map((m) => m.body)).toEqual(['original']);
  });

  it('scopes a key to its room: the same key in two rooms is two messages', async () => {
    const node = await startChatNode();
    const alice = await connectClient(node);
    const key = newKey();

    const inA = await emitAck(alice, 'send', { room: 'a', key, body: 'hi' });
    const inB = await emitAck(alice, 'send', { room: 'b', key, body: 'hi' });

    expect([inA, inB]).toMatchObject([
      { ok: true, duplicate: false, message: { room: 'a', offset: 1 } },
      { ok: true, duplicate: false, message: { room: 'b', offset: 1 } },
    ]);
  });

  it('stores a message once when its sender vanished before the ack and retries from a new connection', async () => {
    const node = await startChatNode();
    const bob = await member(node, 'lobby');
    const seen = collect(bob);
    const key = newKey();
    const vanishing = await connectClient(node);

    vanishing.emit('send', { room: 'lobby', key, body: 'maybe lost' }, () => {});
    vanishing.disconnect();
    const retry = await emitAck(await connectClient(node), 'send', { room: 'lobby', key, body: 'maybe lost' });
    await untilCount(bob, seen, 1);

    expect(retry).toMatchObject({ ok: true, message: { offset: 1, key } });
    expect(await stored('lobby')).toHaveLength(1);
    expect(offsets(seen)).toEqual([1]);
  });
});
