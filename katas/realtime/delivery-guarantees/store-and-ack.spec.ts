import { beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient, expectNoEvent, useMongo, waitFor } from '../../../harness';
import { collect, emitAck, indexesBuilt, member, newKey, send, startChatNode, stored, untilCount, withMongoGone, type WireMessage } from './chat-fixture';

const mongo = useMongo();
beforeAll(indexesBuilt);

describe('1. Store, then broadcast, then ack', () => {
  describe('when a valid message is sent', () => {
    it('acks it with its room, offset 1, key and body only once MongoDB holds it', async () => {
      const node = await startChatNode();
      const alice = await connectClient(node);
      const key = newKey();

      const reply = await emitAck(alice, 'send', { room: 'lobby', key, body: 'hello' });
      const inMongo = await stored('lobby');

      expect(reply).toEqual({
        ok: true,
        duplicate: false,
        message: { room: 'lobby', offset: 1, key, body: 'hello', sentAt: expect.any(String) },
      });
      expect(new Date(reply.message!.sentAt).toISOString()).toBe(reply.message!.sentAt);
      expect(inMongo).toEqual([expect.objectContaining({ room: 'lobby', offset: 1, key, body: 'hello' })]);
    });

    it('broadcasts it, offset included, to every member of the room and to nobody else', async () => {
      const node = await startChatNode();
      const bob = await member(node, 'lobby');
      const carol = await member(node, 'kitchen');
      const alice = await connectClient(node);

      const received = waitFor<[WireMessage]>(bob, 'message');
      let reply: Awaited<ReturnType<typeof send>> | undefined;
      await expectNoEvent(carol, 'message', {
        whileDoing: async () => {
          reply = await send(alice, 'lobby', 'hello');
        },
      });
      const [message] = await received;

      expect(message).toEqual(reply!.message);
    });
  });

  describe('when MongoDB goes away', () => {
    it('does not ack the send as a success nor broadcast it, and loses none of the messages acked before', async () => {
      const node = await startChatNode();
      const bob = await member(node, 'lobby');
      const alice = await connectClient(node);
      const delivered = waitFor(bob, 'message');
      const before = await send(alice, 'lobby', 'written');
      await delivered;

      let during: Awaited<ReturnType<typeof send>> | undefined;
      await withMongoGone(mongo.uri, () =>
        expectNoEvent(bob, 'message', {
          whileDoing: async () => {
            during = await send(alice, 'lobby', 'not written');
          },
        }),
      );
      const after = await send(alice, 'lobby', 'written again');

      expect(before).toMatchObject({ ok: true, message: { offset: 1 } });
      expect(during).toEqual({ ok: false, error: { code: 'store.unavailable', message: expect.any(String) } });
      expect(after).toMatchObject({ ok: true, message: { offset: 2 } });
      expect((await stored('lobby')).map((m) => m.body)).toEqual(['written', 'written again']);
    });
  });

  describe('when a client sends what no correct client sends', () => {
    const longBody = 'x'.repeat(2_001);
    it.each([
      ['a string instead of an object', 'hello', 'payload'],
      ['null', null, 'payload'],
      ['an array', [{ room: 'lobby', key: 'k'.repeat(10), body: 'hi' }], 'payload'],
      ['no room', { key: 'k'.repeat(10), body: 'hi' }, 'room'],
      ['a room that is an object', { room: { $gt: '' }, key: 'k'.repeat(10), body: 'hi' }, 'room'],
      ['a room with spaces', { room: 'the lobby', key: 'k'.repeat(10), body: 'hi' }, 'room'],
      ['no key', { room: 'lobby', body: 'hi' }, 'key'],
      ['a key that is a number', { room: 'lobby', key: 12345678, body: 'hi' }, 'key'],
      ['a 3-character key', { room: 'lobby', key: 'abc', body: 'hi' }, 'key'],
      ['an empty body', { room: 'lobby', key: 'k'.repeat(10), body: '' }, 'body'],
      ['a blank body', { room: 'lobby', key: 'k'.repeat(10), body: '   ' }, 'body'],
      ['a body that is an object', { room: 'lobby', key: 'k'.repeat(10), body: { text: 'hi' } }, 'body'],
      ['a body of 2,001 characters', { room: 'lobby', key: 'k'.repeat(10), body: longBody }, 'body'],
    ])('answers %s with a validation.failed ack naming the field, stores and broadcasts nothing', async (_case, payload, field) => {
      const node = await startChatNode();
      const bob = await member(node, 'lobby');
      const alice = await connectClient(node);

      let reply: Awaited<ReturnType<typeof emitAck>> | undefined;
      await expectNoEvent(bob, 'message', {
        whileDoing: async () => {
          reply = await emitAck(alice, 'send', payload);
        },
      });

      expect(reply).toMatchObject({ ok: false, error: { code: 'validation.failed', message: expect.any(String) } });
      expect(reply!.error!.errors!.map((error) => error.field)).toContain(field);
      expect(await stored()).toEqual([]);
      expect(await send(alice, 'lobby', 'still serving')).toMatchObject({ ok: true, message: { offset: 1 } });
    });

    it('accepts a body of exactly 2,000 characters', async () => {
      const node = await startChatNode();
      const alice = await connectClient(node);

      const reply = await send(alice, 'lobby', 'x'.repeat(2_000));

      expect(reply).toMatchObject({ ok: true, message: { offset: 1 } });
    });

    it('survives a send without an ack callback: the message is still stored and broadcast', async () => {
      const node = await startChatNode();
      const bob = await member(node, 'lobby');
      const alice = await connectClient(node);

      alice.emit('send', { room: 'lobby', key: newKey(), body: 'fire and forget' });
      alice.emit('send', 'not even an object');
      const [message] = await waitFor<[WireMessage]>(bob, 'message');

      expect(message).toMatchObject({ offset: 1, body: 'fire and forget' });
      expect(await send(alice, 'lobby', 'next')).toMatchObject({ ok: true, message: { offset: 2 } });
    });

    it('drops a client whose packet is over maxHttpBufferSize, and keeps serving the others', async () => {
      const node = await startChatNode({ maxHttpBufferSize: 10_000 });
      const bob = await member(node, 'lobby');
      const mallory = await connectClient(node);

      const dropped = waitFor(mallory, 'disconnect');
      mallory.emit('send', { room: 'lobby', key: newKey(), body: 'x'.repeat(20_000) });
      await dropped;
      const seen = collect(bob);
      const reply = await send(bob, 'lobby', 'still here');
      await untilCount(bob, seen, 1);

      expect(reply).toMatchObject({ ok: true, message: { offset: 1 } });
      expect(seen.map((m) => m.body)).toEqual(['still here']);
    });
  });
});
