/*
 * Wrong solutions these specs catch:
 * - files checked with typeof or Array.isArray instead of Buffer.isBuffer: a
 *   string or a number array is "shared" as a file;
 * - no size limit on files, or the limit left to maxHttpBufferSize's 1 MB default;
 * - /admin without its own middleware: any client reads the audit feed;
 *   a token compared with startsWith or ==, or accepted when missing;
 * - audit events emitted on the main namespace, or chat messages on /admin;
 * - the sender's ack or the others' delivery waiting for a client that
 *   never acknowledges (emitWithAck on a broadcast with no timeout, or
 *   recipients served one after another).
 */
import { describe, expect, it } from '@jest/globals';
import { expectNoEvent, waitFor } from '../../../harness';
import { adminToken, ask, connectMany, refusal, startChat } from './chat-fixture';

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31) % 256));

describe('4. Binary payloads and size limits', () => {
  it('shares a binary file with the others byte for byte, and acks its size', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const file = bytes(64 * 1024);
    const toBob = waitFor(bob!, 'file:shared');

    const ack = await ask(alice!, 'file:share', { name: 'notes.bin', data: file });

    expect(ack).toEqual({ ok: true, data: { bytes: 64 * 1024 } });
    const [shared] = await toBob;
    expect(shared.name).toBe('notes.bin');
    expect(shared.from).toBe(alice!.id);
    expect(Buffer.from(shared.data).equals(file)).toBe(true);
  });

  it.each([
    ['data as a string', { name: 'a.txt', data: 'hello' }, 'validation.failed', 'data'],
    ['data as an array of numbers', { name: 'a.bin', data: [1, 2, 3] }, 'validation.failed', 'data'],
    ['no name', { data: bytes(10) }, 'validation.failed', 'name'],
    ['a name of 101 characters', { name: 'n'.repeat(101), data: bytes(10) }, 'validation.failed', 'name'],
    ['64 KiB + 1 byte', { name: 'big.bin', data: bytes(64 * 1024 + 1) }, 'payload.too_large', 'data'],
  ])('refuses a file with %s, and shares nothing', async (_what, payload, code, field) => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);

    let ack: unknown;
    await expectNoEvent(bob!, 'file:shared', { whileDoing: async () => (ack = await ask(alice!, 'file:share', payload)) });

    expect(ack).toEqual({ ok: false, error: { code, message: expect.any(String), field } });
  });

  it('cuts off a client that sends a packet over the transport limit, and keeps serving the others', async () => {
    const chat = await startChat();
    const [mallory, alice, bob] = await connectMany(chat, 3);
    const cutOff = waitFor(mallory!, 'disconnect');
    const toBob = waitFor(bob!, 'message:new');

    mallory!.emit('file:share', { name: 'huge.bin', data: bytes(200_000) });
    const [reason] = await cutOff;
    await ask(alice!, 'message:send', { text: 'still up' });

    expect(reason).toBe('transport close');
    expect((await toBob)[0].text).toBe('still up');
    expect(chat.io.of('/').sockets.size).toBe(2);
  });
});

describe('5. Namespaces and slow clients', () => {
  it('lets only a client with the admin token into /admin, and answers its stats', async () => {
    const chat = await startChat();
    await connectMany(chat, 2);

    const refused = refusal(chat.connect({ namespace: '/admin' }));
    const admin = await chat.connect({ namespace: '/admin', auth: { token: adminToken } });
    const ack = await ask(admin, 'stats');

    expect(await refused).toMatchObject({ code: 'auth.forbidden' });
    expect(ack).toEqual({ ok: true, data: { connected: 2, options: 3 } });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { token: 'guess' }],
    ['a prefix of the token', { token: adminToken.slice(0, 10) }],
    ['the token with more after it', { token: `${adminToken}x` }],
    ['a token that is not a string', { token: ['admin'] }],
  ])('refuses /admin to a client with %s (connect_error auth.forbidden)', async (_what, auth) => {
    const chat = await startChat();

    expect(await refusal(chat.connect({ namespace: '/admin', auth }))).toMatchObject({ code: 'auth.forbidden' });
  });

  it('feeds /admin an audit event per message, and nothing of it to the chat (nor the chat to /admin)', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const admin = await chat.connect({ namespace: '/admin', auth: { token: adminToken } });
    const audit = waitFor(admin, 'audit');

    let ack: { data: { id: string } } | undefined;
    await expectNoEvent(bob!, 'audit', {
      whileDoing: () =>
        expectNoEvent(admin, 'message:new', { whileDoing: async () => (ack = await ask(alice!, 'message:send', { text: 'hi' })) }),
    });

    expect((await audit)[0]).toEqual({ event: 'message:send', from: alice!.id, id: ack!.data.id });
  });

  it('acks the sender and delivers to the others while one recipient never confirms; the receipt counts only those who did', async () => {
    const chat = await startChat({ deliveryTimeoutMs: 1_000 });
    const [alice, bob, carol] = await connectMany(chat, 3);
    const silent = await chat.connect();
    const silentGotIt = waitFor(silent, 'message:new'); // listens, never calls the ack
    const order: string[] = [];
    bob!.on('message:new', () => order.push('bob got it'));
    carol!.on('message:new', () => order.push('carol got it'));
    const delivered = waitFor(alice!, 'message:delivered');

    const ack = await ask(alice!, 'message:send', { text: 'anyone?' });
    order.push('alice acked');
    const [receipt] = await delivered;
    order.push('receipt');

    expect(ack.ok).toBe(true);
    await silentGotIt;
    expect(receipt).toEqual({ id: ack.data.id, delivered: 2 });
    expect(order.indexOf('alice acked')).toBeLessThan(order.indexOf('receipt'));
    expect(order.slice(-1)).toEqual(['receipt']);
    expect(order).toEqual(expect.arrayContaining(['bob got it', 'carol got it']));
  });

  it('keeps acking other senders while a silent client holds unconfirmed messages', async () => {
    const chat = await startChat({ deliveryTimeoutMs: 60_000 });
    const [alice, bob] = await connectMany(chat, 2);
    const silent = await chat.connect();
    silent.on('message:new', () => {});

    const acks = await Promise.all([
      ask(alice!, 'message:send', { text: 'one' }),
      ask(bob!, 'message:send', { text: 'two' }),
      ask(alice!, 'message:send', { text: 'three' }),
    ]);

    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true]);
  });
});
