import { describe, expect, it } from '@jest/globals';
import { connectClient, useRedis, waitFor } from '../../../harness';
import { adaptersResubscribed, as, emitAck, memberOn, outageNoticed, startCluster, watchPresence, type Said } from './cluster-fixture';
import { presenceKey } from './src/presence';

const redis = useRedis();

describe('3. Presence that expires', () => {
  it('lists who is online on any node, each user once, until their last connection closes', async () => {
    const { nodes } = await startCluster(redis);
    const presence = await watchPresence(redis);
    const alicePhone = await connectClient(nodes[0]!, as('alice'));
    await connectClient(nodes[2]!, as('alice'));
    const bob = await connectClient(nodes[1]!, as('bob'));

    const before = await emitAck(bob, 'online');
    const phoneGone = presence.next(0, 'hdel');
    alicePhone.disconnect();
    await phoneGone;
    const after = await emitAck(bob, 'online');

    expect(before).toEqual({ ok: true, users: ['alice', 'bob'] });
    expect(after).toEqual({ ok: true, users: ['alice', 'bob'] });
  });

  it('removes a user when their last connection closes', async () => {
    const { nodes } = await startCluster(redis);
    const presence = await watchPresence(redis);
    const alice = await connectClient(nodes[0]!, as('alice'));
    const bob = await connectClient(nodes[1]!, as('bob'));

    const gone = presence.next(0, 'hdel');
    alice.disconnect();
    await gone;

    expect(await emitAck(bob, 'online')).toEqual({ ok: true, users: ['bob'] });
  });

  it("keeps each node's entry on a TTL no longer than configured", async () => {
    const { nodes } = await startCluster(redis, { ttlMs: 5_000 });
    await connectClient(nodes[0]!, as('alice'));
    const admin = redis.createClient();

    const ttl = await admin.pttl(presenceKey('node-0'));

    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it("forgets a crashed node's users when its entry expires, and keeps the others", async () => {
    const cluster = await startCluster(redis, { ttlMs: 1_000 });
    const presence = await watchPresence(redis);
    await connectClient(cluster.nodes[0]!, as('alice'));
    const bob = await connectClient(cluster.nodes[1]!, as('bob'));
    expect(await emitAck(bob, 'online')).toEqual({ ok: true, users: ['alice', 'bob'] });

    // A crash: the node loses Redis and stops without cleaning up after itself.
    const expired = presence.next(0, 'expired');
    cluster.presenceClients[0]!.disconnect();
    cluster.presences[0]!.stop();
    await cluster.nodes[0]!.close();
    await expired;

    expect(await emitAck(bob, 'online')).toEqual({ ok: true, users: ['bob'] });
  });
});

describe('4. Redis goes down and comes back', () => {
  it('keeps serving while Redis is down: local broadcasts work, presence answers an error ack, nothing crashes', async () => {
    const cluster = await startCluster(redis);
    const alice = await memberOn(cluster.nodes[0]!, 'alice', 'lobby');
    const bob = await memberOn(cluster.nodes[0]!, 'bob', 'lobby');

    await redis.stop();
    await outageNoticed(cluster);
    const local = waitFor<[Said]>(bob, 'said');
    const said = await emitAck(alice, 'say', { room: 'lobby', text: 'during the outage' });
    const [message] = await local;
    const online = await emitAck(alice, 'online');
    await redis.start();
    // The adapter queued its publish while Redis was down; let it go out.
    await adaptersResubscribed(cluster);

    expect(said).toEqual({ ok: true });
    expect(message.text).toBe('during the outage');
    expect(online).toEqual({ ok: false, error: { code: 'presence.unavailable', message: expect.any(String) } });
  });

  it('broadcasts across nodes again once Redis is back, and presence comes back by itself', async () => {
    const cluster = await startCluster(redis, { ttlMs: 1_500 });
    const alice = await memberOn(cluster.nodes[0]!, 'alice', 'lobby');
    const carol = await memberOn(cluster.nodes[2]!, 'carol', 'lobby');

    await redis.stop();
    await outageNoticed(cluster);
    await redis.start();
    await adaptersResubscribed(cluster);
    const presence = await watchPresence(redis);
    // Redis came back empty; each node's next heartbeat (or its reconnection) rewrites its entry.
    await Promise.all([presence.next(0, 'hset'), presence.next(2, 'hset')]);
    const received = waitFor<[Said]>(carol, 'said');
    await emitAck(alice, 'say', { room: 'lobby', text: 'after the restart' });
    const [message] = await received;
    const online = await emitAck(carol, 'online');

    expect(message).toMatchObject({ text: 'after the restart', from: 'alice', node: 'node-0' });
    expect(online).toEqual({ ok: true, users: ['alice', 'carol'] });
  });
});
