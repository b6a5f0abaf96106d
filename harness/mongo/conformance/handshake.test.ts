import { describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('handshake', () => {
  it('answers hello as a writable replica-set primary with a wire version the driver accepts', async () => {
    const hello = await mongo.client().db('admin').command({ hello: 1 });

    expect(hello.isWritablePrimary).toBe(true);
    expect(typeof hello.setName).toBe('string');
    expect(hello.hosts).toHaveLength(1);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
  });

  it('answers the legacy isMaster, ping and buildInfo', async () => {
    const admin = mongo.client().db('admin');

    const isMaster = await admin.command({ isMaster: 1 });
    const ping = await admin.command({ ping: 1 });
    const buildInfo = await admin.command({ buildInfo: 1 });

    expect(isMaster.ismaster).toBe(true);
    expect(ping.ok).toBe(1);
    expect(buildInfo.versionArray[0]).toBeGreaterThanOrEqual(4);
  });

  it('connects with a plain URI and serves many clients at once', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => mongo.newClient()));

    await Promise.all(
      clients.map((client, c) =>
        client.db(mongo.dbName).collection('crowd').insertMany(Array.from({ length: 50 }, (_, i) => ({ c, i }))),
      ),
    );

    expect(await mongo.db().collection('crowd').countDocuments()).toBe(250);
    expect(mongo.client().options.hosts).toHaveLength(1);
  });

  it('keeps an acknowledged write when its client goes away', async () => {
    const client = await MongoClient.connect(mongo.uri);
    await client.db(mongo.dbName).collection('durable').insertOne({ kept: true });

    await client.close(true);

    expect(await mongo.db().collection('durable').countDocuments({ kept: true })).toBe(1);
  });
});
