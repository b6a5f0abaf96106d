import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { connectClient, expectNoEvent, expectProblem, useMongo, waitFor } from '../../../harness';
import { collect, emitAck, indexesBuilt, member, offsets, range, send, startChatNode, untilCount, withMongoGone, type Reply, type WireMessage } from './chat-fixture';

const mongo = useMongo();
beforeAll(indexesBuilt);

interface Page {
  messages: WireMessage[];
  last: number;
}

/** Sends `count` messages to `room` one after another through a fresh client. */
async function seed(node: { url: string }, room: string, count: number): Promise<void> {
  const producer = await connectClient(node);
  for (let i = 1; i <= count; i++) await send(producer, room, `message ${i}`);
}

describe('4. Catch up from an offset', () => {
  describe('when a client joins with the last offset it has', () => {
    it('replays exactly the messages after it, in order, before the join ack, then delivers live ones', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 10);
      const bob = await connectClient(node);
      const seen = collect(bob);

      const reply = await emitAck(bob, 'join', { room: 'lobby', after: 4 });
      const replayed = [...seen];
      await send(await connectClient(node), 'lobby', 'live');
      await untilCount(bob, seen, 7);

      expect(reply).toEqual({ ok: true, room: 'lobby', last: 10 });
      expect(offsets(replayed)).toEqual(range(5, 10));
      expect(replayed.map((m) => m.body)).toEqual(range(5, 10).map((i) => `message ${i}`));
      expect(offsets(seen)).toEqual(range(5, 11));
    });

    it('replays the whole room from offset 0, and nothing when the client is up to date', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 3);
      const fresh = await connectClient(node);
      const upToDate = await connectClient(node);
      const freshSeen = collect(fresh);

      await emitAck(fresh, 'join', { room: 'lobby', after: 0 });
      let reply: Reply | undefined;
      await expectNoEvent(upToDate, 'message', {
        whileDoing: async () => {
          reply = await emitAck(upToDate, 'join', { room: 'lobby', after: 3 });
        },
      });

      expect(offsets(freshSeen)).toEqual([1, 2, 3]);
      expect(reply).toEqual({ ok: true, room: 'lobby', last: 3 });
    });

    it('replays nothing and answers last: null when the client joins without an offset (live only)', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 2);
      const bob = await connectClient(node);

      let reply: Reply | undefined;
      await expectNoEvent(bob, 'message', {
        whileDoing: async () => {
          reply = await emitAck(bob, 'join', { room: 'lobby' });
        },
      });

      const live = waitFor<[WireMessage]>(bob, 'message');
      await send(await connectClient(node), 'lobby', 'live');
      const [message] = await live;

      expect(reply).toEqual({ ok: true, room: 'lobby', last: null });
      expect(message).toMatchObject({ offset: 3, body: 'live' });
    });

    it('takes its turn behind the sends already queued for the room: they are replayed, exactly once', async () => {
      const node = await startChatNode();
      const bob = await connectClient(node);
      const seen = collect(bob);

      // One connection delivers events in order: the join arrives after the 20 sends.
      const sends = range(1, 20).map((i) => send(bob, 'lobby', `message ${i}`));
      const reply = await emitAck(bob, 'join', { room: 'lobby', after: 0 });
      await Promise.all(sends);
      await expectNoEvent(bob, 'message', { whileDoing: () => {} });

      expect(reply).toEqual({ ok: true, room: 'lobby', last: 20 });
      expect(offsets(seen)).toEqual(range(1, 20));
    });

    it('gives each of 10 clients rejoining while 30 messages are being sent every offset exactly once, in order', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 5);
      const producer = await connectClient(node);
      const joiners = await Promise.all(range(1, 10).map(() => connectClient(node)));
      const seen = joiners.map(collect);

      const work: Promise<unknown>[] = [];
      for (let i = 6; i <= 35; i++) {
        work.push(send(producer, 'lobby', `message ${i}`));
        if (i % 3 === 0) work.push(emitAck(joiners[i / 3 - 2]!, 'join', { room: 'lobby', after: 2 }));
      }
      await Promise.all(work);
      await Promise.all(joiners.map((joiner, i) => untilCount(joiner, seen[i]!, 33)));

      for (const messages of seen) expect(offsets(messages)).toEqual(range(3, 35));
    });
  });

  describe('when the join is not one a correct client sends', () => {
    it.each([
      ['a negative offset', { room: 'lobby', after: -1 }, 'after'],
      ['a fractional offset', { room: 'lobby', after: 1.5 }, 'after'],
      ['an offset that is a string', { room: 'lobby', after: '3' }, 'after'],
      ['an offset that is an object', { room: 'lobby', after: { $gt: 0 } }, 'after'],
      ['no room', { after: 0 }, 'room'],
      ['a string', 'lobby', 'payload'],
    ])('answers %s with validation.failed and does not join', async (_case, payload, field) => {
      const node = await startChatNode();
      const bob = await connectClient(node);

      const reply = await emitAck(bob, 'join', payload);

      expect(reply).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
      expect(reply.error!.errors!.map((error) => error.field)).toContain(field);
      await expectNoEvent(bob, 'message', { whileDoing: () => send(bob, 'lobby', 'not for bob') });
    });

    it('answers store.unavailable when MongoDB is gone, and the client can join once it is back', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 2);
      const bob = await connectClient(node);
      const seen = collect(bob);

      let reply: Reply | undefined;
      await withMongoGone(mongo.uri, async () => {
        reply = await emitAck(bob, 'join', { room: 'lobby', after: 0 });
      });
      const again = await emitAck(bob, 'join', { room: 'lobby', after: 0 });

      expect(reply).toEqual({ ok: false, error: { code: 'store.unavailable', message: expect.any(String) } });
      expect(again).toMatchObject({ ok: true, last: 2 });
      expect(offsets(seen)).toEqual([1, 2]);
    });
  });

  describe('GET /rooms/:room/messages?after=', () => {
    it('answers the messages after the offset, oldest first, with the last offset to ask after next', async () => {
      const node = await startChatNode();
      await seed(node, 'lobby', 6);

      const res = await request(node.url).get('/rooms/lobby/messages?after=2&limit=3');
      const body = res.body as Page;
      const rest = (await request(node.url).get(`/rooms/lobby/messages?after=${body.last}`)).body as Page;
      const none = (await request(node.url).get('/rooms/lobby/messages?after=6')).body as Page;

      expect(res.status).toBe(200);
      expect(offsets(body.messages)).toEqual([3, 4, 5]);
      expect(body.last).toBe(5);
      expect(offsets(rest.messages)).toEqual([6]);
      expect(none).toEqual({ messages: [], last: 6 });
    });

    it.each(['-1', '1.5', 'abc', '1e3', '99999999999999999999'])('answers after=%s with a 400 validation.failed problem', async (after) => {
      const node = await startChatNode();

      const res = await request(node.url).get(`/rooms/lobby/messages?after=${after}`);

      expectProblem(res, 400, 'validation.failed');
    });
  });

  describe("compared with Socket.io's connection state recovery", () => {
    it('recovers a short drop on the same node by itself: recovered is true and the missed message arrives', async () => {
      const node = await startChatNode({ connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
      const bob = await member(node, 'lobby', 0);
      const seen = collect(bob);
      // Socket.io resumes from the offset of the last broadcast the client
      // received: a client that has received none cannot be recovered.
      await send(await connectClient(node), 'lobby', 'before the drop');
      await untilCount(bob, seen, 1);
      const serverSide = node.io.of('/').sockets.get(bob.id!)!;
      const serverSawDrop = waitFor(serverSide, 'disconnect');

      bob.io.engine.close();
      await serverSawDrop;
      await send(await connectClient(node), 'lobby', 'while away');
      bob.connect();
      await waitFor(bob, 'connect');
      await untilCount(bob, seen, 2);

      expect(bob.recovered).toBe(true);
      expect(seen.map((m) => m.body)).toEqual(['before the drop', 'while away']);
      expect(offsets(seen)).toEqual([1, 2]);
    });

    it('recovers nothing when the client comes back to another node: only the offset replay fills the gap', async () => {
      const recovery = { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } };
      const first = await startChatNode(recovery);
      const second = await startChatNode(recovery);
      const bob = await member(first, 'lobby', 0);
      const seen = collect(bob);
      await seed(first, 'lobby', 2);
      await untilCount(bob, seen, 2);

      await first.close();
      await seed(second, 'lobby', 3);
      // The load balancer sends the reconnection to the node that is still up.
      (bob.io as unknown as { uri: string }).uri = second.url;
      bob.connect();
      await waitFor(bob, 'connect');
      await expectNoEvent(bob, 'message', { whileDoing: () => {} });
      const recoveredBySocketIo = bob.recovered;
      const reply = await emitAck(bob, 'join', { room: 'lobby', after: seen.at(-1)!.offset });

      expect(recoveredBySocketIo).toBe(false);
      expect(reply).toMatchObject({ ok: true, last: 5 });
      expect(offsets(seen)).toEqual([1, 2, 3, 4, 5]);
    });
  });
});
