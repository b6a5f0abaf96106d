/*
 * Wrong solutions these specs catch:
 * - io.emit instead of socket.broadcast.emit: the sender gets its own message back;
 * - socket.broadcast for the poll: the voter never sees the totals;
 * - no ack, an ack only on success, or an ack before validation;
 * - trusting the payload: a number, null or an array as text crashes a
 *   handler or is broadcast; a spoofed `from` field is passed along;
 * - calling the ack without checking it is a function: a client that emits
 *   without a callback crashes the server;
 * - validation that throws instead of answering: the client waits forever;
 * - typing sent reliably (not volatile), or the chat messages sent volatile;
 * - waiting for every recipient's receipt (or for one without a timeout)
 *   before acking the sender: one silent client holds everyone up.
 */
import { describe, expect, it } from '@jest/globals';
import { expectNoEvent, waitFor } from '../../../harness';
import { ask, connectMany, startChat } from './chat-fixture';

describe('1. Acknowledge every event', () => {
  it('acks a message with its id and delivers it to every other client, with who sent it and when', async () => {
    const chat = await startChat();
    const [alice, bob, carol] = await connectMany(chat, 3);
    const toBob = waitFor(bob!, 'message:new');
    const toCarol = waitFor(carol!, 'message:new');

    const ack = await ask(alice!, 'message:send', { text: '  hello  ' });

    expect(ack).toEqual({ ok: true, data: { id: expect.any(String) } });
    const [message] = await toBob;
    expect(message).toEqual({ id: ack.data.id, text: 'hello', from: alice!.id, at: expect.any(String) });
    expect(Number.isNaN(Date.parse(message.at))).toBe(false);
    expect((await toCarol)[0]).toEqual(message);
  });

  it('does not send the message back to its sender', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const toBob = waitFor(bob!, 'message:new');

    await expectNoEvent(alice!, 'message:new', { whileDoing: () => ask(alice!, 'message:send', { text: 'mine' }) });

    expect((await toBob)[0].text).toBe('mine');
  });

  it('tells the sender, after its ack, how many recipients confirmed the message', async () => {
    const chat = await startChat();
    const [alice] = await connectMany(chat, 4);
    const seen: string[] = [];
    alice!.on('message:delivered', () => seen.push('delivered'));

    const delivered = waitFor(alice!, 'message:delivered');
    const ack = await ask(alice!, 'message:send', { text: 'count me' });
    seen.push('ack');

    expect((await delivered)[0]).toEqual({ id: ack.data.id, delivered: 3 });
    expect(seen).toEqual(['ack', 'delivered']);
  });

  it('keeps the order of 200 messages a client sends in a burst', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const received: string[] = [];
    bob!.on('message:new', (message: { text: string }) => received.push(message.text));
    const texts = Array.from({ length: 200 }, (_, i) => `m${i}`);

    const acks = await Promise.all(texts.map((text) => ask(alice!, 'message:send', { text })));
    await expectNoEvent(bob!, 'never-sent', { whileDoing: () => {} });

    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(received).toEqual(texts);
  });
});

describe('2. Validate payloads', () => {
  const badMessages: [string, unknown[], string | undefined][] = [
    ['a string instead of an object', ['hello'], undefined],
    ['null', [null], undefined],
    ['an array', [['hello']], undefined],
    ['no payload at all', [], undefined],
    ['text as a number', [{ text: 42 }], 'text'],
    ['text as an object', [{ text: { toString: 'x' } }], 'text'],
    ['blank text', [{ text: '   ' }], 'text'],
    ['501 characters', [{ text: 'x'.repeat(501) }], 'text'],
  ];

  it.each(badMessages)('answers %s with a validation.failed ack naming the field, and broadcasts nothing', async (_what, args, field) => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);

    let ack: { ok: boolean; error?: Record<string, unknown> } | undefined;
    await expectNoEvent(bob!, 'message:new', {
      whileDoing: async () => {
        ack = await ask(alice!, 'message:send', ...args);
      },
    });

    expect(ack).toEqual({ ok: false, error: { code: 'validation.failed', message: expect.any(String), ...(field ? { field } : {}) } });
  });

  it('accepts 500 characters, counted as people count them (emoji are one each)', async () => {
    const chat = await startChat();
    const [alice] = await connectMany(chat, 1);

    const ack = await ask(alice!, 'message:send', { text: '👋'.repeat(500) });

    expect(ack.ok).toBe(true);
  });

  it('broadcasts only the fields it checked: a spoofed sender is not passed along', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const toBob = waitFor(bob!, 'message:new');

    await ask(alice!, 'message:send', { text: 'hi', from: 'the-admin', id: 'fake', isAdmin: true });

    const [message] = await toBob;
    expect(Object.keys(message).sort()).toEqual(['at', 'from', 'id', 'text']);
    expect(message.from).toBe(alice!.id);
    expect(message.id).not.toBe('fake');
  });

  it('survives events sent without an ack callback, valid or not, and still delivers the valid one', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const toBob = waitFor(bob!, 'message:new');

    alice!.emit('message:send', { text: 42 });
    alice!.emit('message:send', 'not even an object');
    alice!.emit('message:send', { text: 'no ack wanted' }, 'not a callback');

    expect((await toBob)[0].text).toBe('no ack wanted');
    expect(await ask(alice!, 'message:send', { text: 'still here' })).toMatchObject({ ok: true });
  });

  it('answers an unknown event that asks for an ack with event.unknown', async () => {
    const chat = await startChat();
    const [alice] = await connectMany(chat, 1);

    const ack = await ask(alice!, 'message:delete', { id: 'x' });

    expect(ack).toEqual({ ok: false, error: { code: 'event.unknown', message: expect.any(String) } });
  });

  it('answers a flood of 300 bad payloads one by one, and keeps serving the others', async () => {
    const chat = await startChat();
    const [mallory, alice, bob] = await connectMany(chat, 3);
    const junk = [null, 1, 'x', [], { text: null }, { text: [] }, { text: '' }];

    const acks = await Promise.all(Array.from({ length: 300 }, (_, i) => ask(mallory!, 'message:send', junk[i % junk.length])));
    const toBob = waitFor(bob!, 'message:new');
    await ask(alice!, 'message:send', { text: 'after the flood' });

    expect(acks.every((ack) => ack.ok === false && ack.error.code === 'validation.failed')).toBe(true);
    expect((await toBob)[0].text).toBe('after the flood');
    expect(mallory!.connected).toBe(true);
  });
});

describe('3. Broadcast to others, to everyone, and volatile', () => {
  it('sends the poll results to everyone, the voter included, with the same totals', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const toAlice = waitFor(alice!, 'poll:results');
    const toBob = waitFor(bob!, 'poll:results');

    const ack = await ask(alice!, 'poll:vote', { option: 'b' });

    expect(ack).toEqual({ ok: true, data: { option: 'b' } });
    expect((await toAlice)[0]).toEqual({ a: 0, b: 1, c: 0 });
    expect((await toBob)[0]).toEqual({ a: 0, b: 1, c: 0 });
  });

  it('counts 60 votes cast at once exactly', async () => {
    const chat = await startChat();
    const clients = await connectMany(chat, 3);

    const seen: Array<Record<string, number>> = [];
    clients[0]!.on('poll:results', (totals: Record<string, number>) => seen.push(totals));
    const counted = (votes: number) => seen.find((totals) => Object.values(totals).reduce((sum, n) => sum + n, 0) >= votes);

    await Promise.all(Array.from({ length: 60 }, (_, i) => ask(clients[i % 3]!, 'poll:vote', { option: 'abc'[i % 3] })));
    await ask(clients[1]!, 'poll:vote', { option: 'a' });
    // Each connection keeps its own order, not the order across connections: results of
    // earlier votes may still be on their way to this client after every ack arrived.
    while (!counted(61)) await waitFor(clients[0]!, 'poll:results');

    expect(counted(61)).toEqual({ a: 21, b: 20, c: 20 });
  });

  it.each([[{ option: 'd' }], [{ option: ['a'] }], ['a'], [null]])('refuses the vote %j with validation.failed, and counts nothing', async (payload) => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);

    let ack: { ok: boolean; error?: Record<string, unknown> } | undefined;
    await expectNoEvent(bob!, 'poll:results', { whileDoing: async () => (ack = await ask(alice!, 'poll:vote', payload)) });

    expect(ack).toMatchObject({ ok: false, error: { code: 'validation.failed', field: 'option' } });
  });

  it('relays typing to the others as a volatile event, and chat messages reliably', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const typing = waitFor(bob!, 'typing');

    alice!.emit('typing');
    await typing;
    await ask(alice!, 'message:send', { text: 'done typing' });

    expect((await typing)[0]).toEqual({ from: alice!.id });
    const flagsOf = (event: string) => chat.broadcasts().filter((b) => b.event === event).map((b) => Boolean(b.flags.volatile));
    expect(flagsOf('typing')).toEqual([true]);
    expect(flagsOf('message:new')).toEqual([false]);
  });

  it('does not send typing back to the typist', async () => {
    const chat = await startChat();
    const [alice, bob] = await connectMany(chat, 2);
    const toBob = waitFor(bob!, 'typing');

    await expectNoEvent(alice!, 'typing', { whileDoing: () => alice!.emit('typing') });

    expect((await toBob)[0]).toEqual({ from: alice!.id });
  });
});
