/*
 * Wrong solutions these specs catch:
 * - a join that trusts the client (no membership check in MongoDB), or that
 *   joins before checking and stays in the room after the refusal;
 * - an id passed to MongoDB unchecked: { "$ne": null } matches someone else's conversation;
 * - a message sent with io.to(room) (back to the sender) or io.emit (to everyone),
 *   or accepted from a socket that never joined the room;
 * - direct messages to one socket of the recipient instead of every tab;
 * - authorization in the handlers only, or next(err) in socket.use (no ack ever comes);
 * - an event table read through the prototype ("constructor" is not an event);
 * - a rate limit per user or per server instead of per socket, off by one,
 *   counting joins, never reset, or answered with a disconnect.
 */
import { describe, expect, it } from '@jest/globals';
import { CROWD_TEST_TIMEOUT_MS, expectNoEvent, useMongo, waitFor } from '../../../harness';
import { ask, inRoom, joined, startRooms, tabsOf } from './rooms-fixture';

useMongo();

describe('3. Rooms for members only', () => {
  it('delivers a message to the other members in the room, the sender\'s other tabs included, and to no one else', async () => {
    const rooms = await startRooms();
    const [alice, aliceTab] = await Promise.all([rooms.connectAs('alice').then((s) => joined(s, 'team')), rooms.connectAs('alice').then((s) => joined(s, 'team'))]);
    const bob = await joined(await rooms.connectAs('bob'), 'team');
    const carol = await joined(await rooms.connectAs('carol'), 'secret');
    const toBob = waitFor(bob, 'message:new');
    const toAliceTab = waitFor(aliceTab!, 'message:new');

    let ack: Awaited<ReturnType<typeof ask>> | undefined;
    await expectNoEvent(carol, 'message:new', {
      whileDoing: () => expectNoEvent(alice!, 'message:new', { whileDoing: async () => (ack = await ask(alice!, 'message:send', { conversationId: 'team', text: ' hi team ' })) }),
    });

    expect(ack).toEqual({ ok: true, data: { id: expect.any(String), conversationId: 'team', from: 'alice', text: 'hi team', at: expect.any(String) } });
    expect((await toBob)[0]).toEqual(ack!.data);
    expect((await toAliceTab)[0]).toEqual(ack!.data);
    expect(ack!.data!.at).toBe(new Date(rooms.clock.now()).toISOString());
  });

  it.each([['a conversation of others', 'secret'], ['a conversation that does not exist', 'nowhere']])(
    'refuses to join %s with conversation.forbidden, and the socket is not in the room afterwards',
    async (_what, conversationId) => {
      const rooms = await startRooms();
      const alice = await joined(await rooms.connectAs('alice'), 'team');

      const reply = await ask(alice, 'conversation:join', { conversationId });

      expect(reply).toEqual({ ok: false, error: { code: 'conversation.forbidden', message: expect.any(String) } });
      expect(await inRoom(rooms.io, `conversation:${conversationId}`)).toEqual([]);
      expect(alice.connected).toBe(true);
    },
  );

  it('sends nothing of a conversation to a socket whose join was refused', async () => {
    const rooms = await startRooms();
    const carol = await joined(await rooms.connectAs('carol'), 'secret');
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    await ask(carol, 'conversation:join', { conversationId: 'team' });

    await expectNoEvent(carol, 'message:new', { whileDoing: () => ask(alice, 'message:send', { conversationId: 'team', text: 'members only' }) });
  });

  it('refuses a message to a conversation the socket has not joined, member or not, and broadcasts nothing', async () => {
    const rooms = await startRooms();
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bob = await rooms.connectAs('bob');
    const carol = await rooms.connectAs('carol');

    const replies: unknown[] = [];
    await expectNoEvent(alice, 'message:new', {
      whileDoing: async () => {
        replies.push(await ask(bob, 'message:send', { conversationId: 'team', text: 'not joined yet' }));
        replies.push(await ask(carol, 'message:send', { conversationId: 'team', text: 'not a member' }));
      },
    });

    expect(replies).toEqual([
      { ok: false, error: { code: 'conversation.forbidden', message: expect.any(String) } },
      { ok: false, error: { code: 'conversation.forbidden', message: expect.any(String) } },
    ]);
  });

  it('lets exactly the members in when 50 tabs join at once, half of them not members', async () => {
    const rooms = await startRooms();
    const [bobs, carols] = await Promise.all([tabsOf(rooms, 'bob', 25), tabsOf(rooms, 'carol', 25)]);

    const replies = await Promise.all([...bobs, ...carols].map((tab) => ask(tab, 'conversation:join', { conversationId: 'team' })));

    expect(replies.slice(0, 25).every((reply) => reply.ok)).toBe(true);
    expect(replies.slice(25).every((reply) => reply.error?.code === 'conversation.forbidden')).toBe(true);
    expect(await inRoom(rooms.io, 'conversation:team')).toEqual(Array(25).fill('bob'));
    // 50 sockets' handshakes and joins: 13 s on a busy machine.
  }, CROWD_TEST_TIMEOUT_MS);

  it('delivers 50 messages sent at once, each exactly once and in order', async () => {
    const rooms = await startRooms();
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bob = await joined(await rooms.connectAs('bob'), 'team');
    const received: string[] = [];
    bob.on('message:new', (message: { text: string }) => received.push(message.text));
    const texts = Array.from({ length: 50 }, (_, i) => `m${i}`);

    const acks = await Promise.all(texts.map((text) => ask(alice, 'message:send', { conversationId: 'team', text })));
    await expectNoEvent(bob, 'never-sent', { whileDoing: () => {} });

    expect(acks.every((reply) => reply.ok)).toBe(true);
    expect(received).toEqual(texts);
  });

  it('sends a direct message to every tab of the recipient and the sender\'s other tabs, and to no one else', async () => {
    const rooms = await startRooms();
    const [alice, aliceTab] = await tabsOf(rooms, 'alice', 2);
    const bobTabs = await tabsOf(rooms, 'bob', 3);
    const carol = await rooms.connectAs('carol');
    const arrivals = [...bobTabs, aliceTab!].map((tab) => waitFor(tab, 'dm:new'));

    let ack: Awaited<ReturnType<typeof ask>> | undefined;
    await expectNoEvent(carol, 'dm:new', {
      whileDoing: () => expectNoEvent(alice!, 'dm:new', { whileDoing: async () => (ack = await ask(alice!, 'dm:send', { to: 'bob', text: 'psst' })) }),
    });

    expect(ack).toEqual({ ok: true, data: { id: expect.any(String), from: 'alice', to: 'bob', text: 'psst', at: expect.any(String) } });
    for (const arrival of arrivals) expect((await arrival)[0]).toEqual(ack!.data);
  });

  it.each(['mallory', 'rex'])('refuses a direct message to %s (unknown or revoked) with user.not_found', async (to) => {
    const rooms = await startRooms();
    const alice = await rooms.connectAs('alice');

    expect(await ask(alice, 'dm:send', { to, text: 'hello?' })).toEqual({ ok: false, error: { code: 'user.not_found', message: expect.any(String) } });
  });

  it.each([
    ['conversation:join', [null], undefined],
    ['conversation:join', ['team'], undefined],
    ['conversation:join', [['team']], undefined],
    ['conversation:join', [{}], 'conversationId'],
    ['conversation:join', [{ conversationId: { $ne: null } }], 'conversationId'],
    ['conversation:join', [{ conversationId: 'x'.repeat(65) }], 'conversationId'],
    ['message:send', [{ conversationId: 'team', text: 42 }], 'text'],
    ['message:send', [{ conversationId: 'team', text: '   ' }], 'text'],
    ['message:send', [{ conversationId: 'team', text: 'x'.repeat(2_001) }], 'text'],
    ['dm:send', [{ to: { $gt: '' }, text: 'hi' }], 'to'],
  ])('answers %s with %j by validation.failed naming the field', async (event, args, field) => {
    const rooms = await startRooms();
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bob = await joined(await rooms.connectAs('bob'), 'team');

    let reply: Awaited<ReturnType<typeof ask>> | undefined;
    await expectNoEvent(bob, 'message:new', { whileDoing: async () => (reply = await ask(alice, event, ...args)) });

    expect(reply).toEqual({ ok: false, error: { code: 'validation.failed', message: expect.any(String), ...(field ? { field } : { field: 'payload' }) } });
    expect(await inRoom(rooms.io, 'conversation:team')).toEqual(['alice', 'bob']);
  });

  it('survives events sent without an ack callback, and still serves the next one', async () => {
    const rooms = await startRooms();
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bob = await joined(await rooms.connectAs('bob'), 'team');
    const toBob = waitFor(bob, 'message:new');

    alice.emit('conversation:join', { conversationId: 'secret' });
    alice.emit('message:send', 'not an object');
    alice.emit('message:send', { conversationId: 'team', text: 'no ack wanted' }, 'not a callback');

    expect((await toBob)[0].text).toBe('no ack wanted');
    expect(await ask(alice, 'message:send', { conversationId: 'team', text: 'still here' })).toMatchObject({ ok: true });
  });
});

describe('4. Authorize every event', () => {
  it('lets a guest join and read, but refuses its message with auth.forbidden before any handler runs', async () => {
    const rooms = await startRooms();
    const gus = await joined(await rooms.connectAs('gus'), 'team');
    const bob = await joined(await rooms.connectAs('bob'), 'team');

    let reply: Awaited<ReturnType<typeof ask>> | undefined;
    await expectNoEvent(bob, 'message:new', { whileDoing: async () => (reply = await ask(gus, 'message:send', { conversationId: 'team', text: 'hi' })) });

    expect(reply).toEqual({ ok: false, error: { code: 'auth.forbidden', message: expect.any(String) } });
    const toGus = waitFor(gus, 'message:new');
    await ask(bob, 'message:send', { conversationId: 'team', text: 'guests may read' });
    expect((await toGus)[0].text).toBe('guests may read');
  });

  it('refuses a guest\'s direct message, and an invalid one with auth.forbidden too: authorization comes before validation', async () => {
    const rooms = await startRooms();
    const gus = await rooms.connectAs('gus');
    const bob = await rooms.connectAs('bob');

    let replies: unknown[] = [];
    await expectNoEvent(bob, 'dm:new', {
      whileDoing: async () => (replies = [await ask(gus, 'dm:send', { to: 'bob', text: 'hi' }), await ask(gus, 'dm:send', null)]),
    });

    expect(replies).toEqual([
      { ok: false, error: { code: 'auth.forbidden', message: expect.any(String) } },
      { ok: false, error: { code: 'auth.forbidden', message: expect.any(String) } },
    ]);
  });

  it.each([
    ['member:remove', { conversationId: 'team', userId: 'bob' }],
    ['user:revoke', { userId: 'bob' }],
  ])('refuses %s from a member with auth.forbidden, and nothing changes', async (event, payload) => {
    const rooms = await startRooms();
    const alice = await rooms.connectAs('alice');
    const bob = await joined(await rooms.connectAs('bob'), 'team');

    const reply = await ask(alice, event, payload);
    await expectNoEvent(bob, 'conversation:removed', { whileDoing: () => ask(bob, 'message:send', { conversationId: 'team', text: 'still in' }) });

    expect(reply).toEqual({ ok: false, error: { code: 'auth.forbidden', message: expect.any(String) } });
    expect(bob.connected).toBe(true);
    expect(await inRoom(rooms.io, 'conversation:team')).toEqual(['bob']);
    expect(await ask(await rooms.connectAs('bob'), 'conversation:join', { conversationId: 'team' })).toMatchObject({ ok: true });
  });

  it('lets an admin send messages like a member', async () => {
    const rooms = await startRooms();
    const ada = await joined(await rooms.connectAs('ada'), 'team');

    expect(await ask(ada, 'message:send', { conversationId: 'team', text: 'from the admin' })).toMatchObject({ ok: true });
  });

  it.each(['message:delete', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])('answers the unknown event %s with event.unknown', async (event) => {
    const rooms = await startRooms();
    const ada = await rooms.connectAs('ada');

    const reply = await ask(ada, event, { conversationId: 'team' });

    expect(reply).toEqual({ ok: false, error: { code: 'event.unknown', message: expect.any(String) } });
    expect(await ask(ada, 'conversation:join', { conversationId: 'team' })).toMatchObject({ ok: true });
  });

  it('survives refused events sent without an ack callback', async () => {
    const rooms = await startRooms();
    const gus = await joined(await rooms.connectAs('gus'), 'team');

    gus.emit('message:send', { conversationId: 'team', text: 'no ack' });
    gus.emit('user:revoke', { userId: 'bob' }, 'not a callback');
    gus.emit('no-such-event');

    expect(await ask(gus, 'conversation:leave', { conversationId: 'team' })).toEqual({ ok: true, data: { conversationId: 'team' } });
  });
});

describe('5. Rate-limit each socket', () => {
  const limited = { rateLimit: { limit: 5, windowMs: 10_000 } };

  it('accepts exactly 5 of 50 messages sent at once, refuses the rest with rate_limit.exceeded, and broadcasts only the 5', async () => {
    const rooms = await startRooms(limited);
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bob = await joined(await rooms.connectAs('bob'), 'team');
    const received: string[] = [];
    bob.on('message:new', (message: { text: string }) => received.push(message.text));

    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(alice, 'message:send', { conversationId: 'team', text: `m${i}` })));
    await expectNoEvent(bob, 'never-sent', { whileDoing: () => {} });

    expect(replies.filter((reply) => reply.ok)).toHaveLength(5);
    expect(replies.slice(5)).toEqual(
      Array(45).fill({ ok: false, error: { code: 'rate_limit.exceeded', message: expect.any(String), retryAfterMs: 10_000 } }),
    );
    expect(received).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(alice.connected).toBe(true);
  });

  it('counts direct messages in the same quota, and says how long to wait', async () => {
    const rooms = await startRooms(limited);
    const alice = await joined(await rooms.connectAs('alice'), 'team');

    for (let i = 0; i < 3; i += 1) await ask(alice, 'message:send', { conversationId: 'team', text: `m${i}` });
    for (let i = 0; i < 2; i += 1) await ask(alice, 'dm:send', { to: 'bob', text: `d${i}` });
    rooms.clock.advance(4_000);
    const sixth = await ask(alice, 'dm:send', { to: 'bob', text: 'one too many' });

    expect(sixth.error).toEqual({ code: 'rate_limit.exceeded', message: expect.any(String), retryAfterMs: 6_000 });
  });

  it('gives each tab its own quota, and does not count joins', async () => {
    const rooms = await startRooms(limited);
    const [alice, aliceTab] = await tabsOf(rooms, 'alice', 2);
    await joined(alice!, 'team');
    await joined(aliceTab!, 'team');

    for (let i = 0; i < 5; i += 1) await ask(alice!, 'message:send', { conversationId: 'team', text: `m${i}` });
    const afterQuota = await ask(alice!, 'message:send', { conversationId: 'team', text: 'over' });
    const joins = await Promise.all(Array.from({ length: 10 }, () => ask(alice!, 'conversation:join', { conversationId: 'team' })));
    const otherTab = await Promise.all(Array.from({ length: 5 }, (_, i) => ask(aliceTab!, 'message:send', { conversationId: 'team', text: `t${i}` })));

    expect(afterQuota.error?.code).toBe('rate_limit.exceeded');
    expect(joins.every((reply) => reply.ok)).toBe(true);
    expect(otherTab.every((reply) => reply.ok)).toBe(true);
  });

  it('lets the socket send again once the window has passed, and not a millisecond before', async () => {
    const rooms = await startRooms(limited);
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    for (let i = 0; i < 5; i += 1) await ask(alice, 'message:send', { conversationId: 'team', text: `m${i}` });

    rooms.clock.advance(9_999);
    const early = await ask(alice, 'message:send', { conversationId: 'team', text: 'early' });
    rooms.clock.advance(1);
    const onTime = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(alice, 'message:send', { conversationId: 'team', text: `n${i}` })));

    expect(early.error).toMatchObject({ code: 'rate_limit.exceeded', retryAfterMs: 1 });
    expect(onTime.map((reply) => reply.ok)).toEqual([true, true, true, true, true, false]);
  });
});
