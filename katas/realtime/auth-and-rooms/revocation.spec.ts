/*
 * Wrong solutions these specs catch:
 * - a removal that updates MongoDB but leaves the live sockets in the room, or
 *   evicts the sockets but not the membership (the next join lets them back);
 * - evicting or disconnecting one socket of the user instead of every tab;
 * - a revocation that disconnects without recording it: the still-valid token
 *   connects again;
 * - a token checked only at the handshake: the connection outlives it; or an
 *   expiry read from the wall clock, without the tolerance, or a timer that is
 *   never cancelled when the socket goes away.
 */
import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { expectNoEvent, useMongo, waitFor } from '../../../harness';
import { ask, inRoom, joined, refusal, serverSide, startRooms, tabsOf } from './rooms-fixture';

useMongo();

const members = async (conversationId: string) =>
  ((await mongoose.connection.collection<{ _id: string; members: string[] }>('conversations').findOne({ _id: conversationId }))?.members ?? []).sort();

describe('6. Take access away at once', () => {
  it('removes a member from the conversation in MongoDB and takes every one of their tabs out of the room', async () => {
    const rooms = await startRooms();
    const ada = await rooms.connectAs('ada');
    const alice = await joined(await rooms.connectAs('alice'), 'team');
    const bobTabs = await Promise.all((await tabsOf(rooms, 'bob', 3)).map((tab) => joined(tab, 'team')));
    const told = bobTabs.map((tab) => waitFor(tab, 'conversation:removed'));

    const reply = await ask(ada, 'member:remove', { conversationId: 'team', userId: 'bob' });

    expect(reply).toEqual({ ok: true, data: { conversationId: 'team', userId: 'bob' } });
    for (const notice of told) expect((await notice)[0]).toEqual({ conversationId: 'team' });
    expect(await members('team')).toEqual(['ada', 'alice', 'gus']);
    expect(await inRoom(rooms.io, 'conversation:team')).toEqual(['alice']);
    for (const tab of bobTabs) {
      await expectNoEvent(tab, 'message:new', { whileDoing: () => ask(alice, 'message:send', { conversationId: 'team', text: 'after bob left' }) });
    }
  });

  it('refuses a removed member\'s messages and joins from then on, on any tab', async () => {
    const rooms = await startRooms();
    const ada = await rooms.connectAs('ada');
    const bob = await joined(await rooms.connectAs('bob'), 'team');

    await ask(ada, 'member:remove', { conversationId: 'team', userId: 'bob' });
    const newTab = await rooms.connectAs('bob');

    expect(await ask(bob, 'message:send', { conversationId: 'team', text: 'still here?' })).toMatchObject({ error: { code: 'conversation.forbidden' } });
    expect(await ask(bob, 'conversation:join', { conversationId: 'team' })).toMatchObject({ error: { code: 'conversation.forbidden' } });
    expect(await ask(newTab, 'conversation:join', { conversationId: 'team' })).toMatchObject({ error: { code: 'conversation.forbidden' } });
    expect(await inRoom(rooms.io, 'conversation:team')).toEqual([]);
  });

  it('disconnects every tab of a revoked user at once, refuses their still-valid token, and leaves the others connected', async () => {
    const rooms = await startRooms();
    const ada = await rooms.connectAs('ada');
    const alice = await rooms.connectAs('alice');
    const bobTabs = await tabsOf(rooms, 'bob', 20);
    const gone = bobTabs.map((tab) => waitFor(tab, 'disconnect'));

    const reply = await ask(ada, 'user:revoke', { userId: 'bob' });

    expect(reply).toEqual({ ok: true, data: { userId: 'bob' } });
    expect((await Promise.all(gone)).map(([reason]) => reason)).toEqual(Array(20).fill('io server disconnect'));
    expect((await refusal(rooms.connectAs('bob'))).data).toMatchObject({ code: 'auth.revoked' });
    expect(alice.connected).toBe(true);
    expect(await ask(alice, 'conversation:join', { conversationId: 'team' })).toMatchObject({ ok: true });
  });

  it.each([
    ['member:remove', { conversationId: 'nowhere', userId: 'bob' }],
    ['user:revoke', { userId: 'mallory' }],
  ])('answers %s of something that does not exist with resource.not_found', async (event, payload) => {
    const rooms = await startRooms();
    const ada = await rooms.connectAs('ada');

    expect(await ask(ada, event, payload)).toEqual({ ok: false, error: { code: 'resource.not_found', message: expect.any(String) } });
  });

  it('disconnects a socket when its token expires (exp plus the 5 s tolerance), telling it why, and no sooner', async () => {
    const rooms = await startRooms();
    const alice = await rooms.connectAs('alice', { ttlSeconds: 60 });
    const bob = await rooms.connectAs('bob', { ttlSeconds: 600 });
    const told = waitFor(alice, 'auth:expired');
    const gone = waitFor(alice, 'disconnect');

    rooms.clock.advance(64_999);
    const justBefore = await ask(alice, 'conversation:join', { conversationId: 'team' });
    rooms.clock.advance(1);

    expect(justBefore).toMatchObject({ ok: true });
    expect((await told)[0]).toEqual({ code: 'auth.token_expired', message: expect.any(String) });
    expect((await gone)[0]).toBe('io server disconnect');
    expect(bob.connected).toBe(true);
    expect(await ask(bob, 'conversation:join', { conversationId: 'team' })).toMatchObject({ ok: true });
  });

  it('forgets the expiry of a socket that disconnects by itself', async () => {
    const rooms = await startRooms();
    const tabs = await tabsOf(rooms, 'alice', 3);
    const closed = tabs.map((tab) => waitFor(serverSide(rooms.io, tab), 'disconnect'));

    for (const tab of tabs) tab.disconnect();
    await Promise.all(closed);

    expect(rooms.clock.pending()).toBe(0);
  });
});
