import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

async function listed(name: string): Promise<Document | undefined> {
  return (await mongo.db().listCollections({ name }).toArray())[0];
}

describe('capped collections', () => {
  it('are listed with their options, size rounded up to a multiple of 256', async () => {
    await mongo.db().createCollection('log', { capped: true, size: 1000, max: 50 });

    expect((await listed('log'))?.options).toEqual({ capped: true, size: 1024, max: 50 });
    expect(await mongo.db().collection('log').isCapped()).toBe(true);
    expect(await mongo.db().collection('log').options()).toMatchObject({ capped: true });
  });

  it('keep the newest `max` documents, oldest removed first, in insertion order', async () => {
    const events = await mongo.db().createCollection('events', { capped: true, size: 100_000, max: 3 });
    for (let n = 1; n <= 7; n += 1) await events.insertOne({ n });

    expect((await events.find({}, { projection: { _id: 0 } }).toArray()).map((e) => e.n)).toEqual([5, 6, 7]);
    expect((await events.find().sort({ $natural: -1 }).toArray()).map((e) => e.n)).toEqual([7, 6, 5]);
  });

  it('remove the oldest documents once the data outgrows `size` bytes', async () => {
    const blobs = await mongo.db().createCollection('blobs', { capped: true, size: 4096 });
    const pad = 'x'.repeat(1000);
    await blobs.insertMany(Array.from({ length: 10 }, (_, n) => ({ n, pad })));

    const left = (await blobs.find({}, { projection: { n: 1, _id: 0 } }).toArray()).map((b) => b.n);
    // Each document is about 1 KB, so 4096 bytes hold the last three or four of them.
    expect(left.length).toBeGreaterThanOrEqual(3);
    expect(left.length).toBeLessThanOrEqual(4);
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => 10 - left.length + i));
  });

  it('allow deletes (mongod 5.0.7 and later)', async () => {
    const tail = await mongo.db().createCollection('tail', { capped: true, size: 4096 });
    await tail.insertMany([{ n: 1 }, { n: 2 }]);

    expect((await tail.deleteOne({ n: 1 })).deletedCount).toBe(1);
    expect(await tail.countDocuments()).toBe(1);
  });

  it('need a size: InvalidOptions (72)', async () => {
    const error = await failure(mongo.db().createCollection('no_size', { capped: true }));

    expect(error.code).toBe(72);
    expect(error.codeName).toBe('InvalidOptions');
    expect(await listed('no_size')).toBeUndefined();
  });

  it('refuse writes inside a transaction: OperationNotSupportedInTransaction (263)', async () => {
    const audit = await mongo.db().createCollection('audit', { capped: true, size: 4096 });
    const session = mongo.client().startSession();
    try {
      session.startTransaction();
      const error = await failure(audit.insertOne({ n: 1 }, { session }));
      expect(error.code).toBe(263);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await audit.countDocuments()).toBe(0);
  });

  it('are made by mongoose from the schema option', async () => {
    const conn = await mongo.mongoose();
    const Tick = conn.model('Tick', new Schema({ at: Number }, { capped: { size: 4096, max: 2 } }), 'ticks');
    await Tick.createCollection();
    await Tick.create([{ at: 1 }, { at: 2 }, { at: 3 }]);

    expect(await Tick.collection.isCapped()).toBe(true);
    expect((await Tick.find().sort({ $natural: 1 }).lean()).map((t) => t.at)).toEqual([2, 3]);
  });
});

describe('time-series collections', () => {
  it('are listed as type "timeseries" with their bucketing and expiry', async () => {
    await mongo.db().createCollection('weather', {
      timeseries: { timeField: 'timestamp', metaField: 'sensor', granularity: 'hours' },
      expireAfterSeconds: 86_400,
    });

    const entry = await listed('weather');
    expect(entry?.type).toBe('timeseries');
    expect(entry?.options).toEqual({
      timeseries: { timeField: 'timestamp', metaField: 'sensor', granularity: 'hours', bucketMaxSpanSeconds: 2_592_000 },
      expireAfterSeconds: 86_400,
    });
    // mongod (6.3+) indexes the metaField and timeField of a new time series.
    expect((await mongo.db().collection('weather').listIndexes().toArray()).map((i) => i.name)).toEqual(['sensor_1_timestamp_1']);
  });

  it('store and query measurements, each with a date in timeField', async () => {
    const readings = await mongo.db().createCollection('readings', { timeseries: { timeField: 'at', metaField: 'meta' } });
    const at = new Date('2026-01-01T00:00:00Z');
    await readings.insertMany([
      { at, meta: { sensor: 1 }, temp: 12 },
      { at: new Date(at.getTime() + 60_000), meta: { sensor: 2 }, temp: 14 },
    ]);

    const missing = await failure(readings.insertOne({ meta: { sensor: 1 }, temp: 1 }));
    const notADate = await failure(readings.insertOne({ at: '2026-01-01', meta: { sensor: 1 } }));

    expect(missing.code).toBe(2);
    expect(missing.message).toContain("'at' must be present and contain a valid BSON UTC datetime value");
    expect(notADate.code).toBe(2);
    expect(await readings.find({ 'meta.sensor': 2 }, { projection: { _id: 0, temp: 1 } }).toArray()).toEqual([{ temp: 14 }]);
    expect((await listed('readings'))?.options.timeseries).toEqual({ timeField: 'at', metaField: 'meta', granularity: 'seconds', bucketMaxSpanSeconds: 3600 });
  });

  it('need a timeField and a known granularity', async () => {
    const noTime = await failure(mongo.db().createCollection('bad_series', { timeseries: { metaField: 'm' } as never }));
    const granularity = await failure(mongo.db().createCollection('bad_series', { timeseries: { timeField: 't', granularity: 'days' as never } }));

    expect(noTime.code).toBe(40414);
    expect(noTime.message).toContain("'timeseries.timeField' is missing");
    expect(granularity.code).toBe(2);
    expect(await listed('bad_series')).toBeUndefined();
  });

  it('are made by mongoose from the schema option, and diffIndexes leaves the default index alone', async () => {
    const conn = await mongo.mongoose();
    const schema = new Schema({ at: Date, device: String }, { timeseries: { timeField: 'at', metaField: 'device', granularity: 'minutes' }, autoCreate: false });
    const Reading = conn.model('Reading', schema, 'device_readings');
    await Reading.createCollection();
    await Reading.create({ at: new Date(), device: 'd1' });

    expect((await Reading.collection.options()).timeseries?.granularity).toBe('minutes');
    expect((await Reading.diffIndexes()).toDrop).toEqual([]);
    expect(await Reading.countDocuments({ device: 'd1' })).toBe(1);
  });
});

describe('clustered collections', () => {
  it('list the clustered index in place of _id_', async () => {
    await mongo.db().createCollection('orders', { clusteredIndex: { key: { _id: 1 }, unique: true, name: 'orders clustered' } });

    const entry = await listed('orders');
    expect(entry?.options).toEqual({ clusteredIndex: { v: 2, key: { _id: 1 }, name: 'orders clustered', unique: true } });
    expect(entry?.idIndex).toBeUndefined();
    expect(await mongo.db().collection('orders').listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: 'orders clustered', unique: true, clustered: true },
    ]);
  });

  it('need unique: true and the key { _id: 1 }', async () => {
    const noUnique = await failure(mongo.db().createCollection('bad_clustered', { clusteredIndex: { key: { _id: 1 } } as never }));
    const otherKey = await failure(mongo.db().createCollection('bad_clustered', { clusteredIndex: { key: { a: 1 }, unique: true } }));

    expect(noUnique.code).toBe(40414);
    expect(otherKey).toBeInstanceOf(Error);
    expect(await listed('bad_clustered')).toBeUndefined();
  });

  it('refuse expireAfterSeconds on an ordinary collection', async () => {
    const error = await failure(mongo.db().createCollection('plain_ttl', { expireAfterSeconds: 10 }));

    expect(error.code).toBe(72);
    expect(await listed('plain_ttl')).toBeUndefined();
  });
});

describe('setParameter ttlMonitorSleepSecs', () => {
  it('answers the previous value, and the TTL monitor then expires data on the new period', async () => {
    const admin = mongo.client().db('admin');
    const before = (await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 })).ttlMonitorSleepSecs as number;
    const reply = await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    try {
      expect(reply.was).toBe(before);
      expect((await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 })).ttlMonitorSleepSecs).toBe(1);

      // A time series expires whole buckets: a 2-hour-old measurement (1-hour buckets) is past its bucket's span.
      const metrics = await mongo.db().createCollection('metrics', { timeseries: { timeField: 't', granularity: 'seconds' }, expireAfterSeconds: 5 });
      const clustered = await mongo.db().createCollection('clustered_ttl', { clusteredIndex: { key: { _id: 1 }, unique: true }, expireAfterSeconds: 5 });
      await metrics.insertMany([{ t: new Date(Date.now() - 7_200_000), v: 'old' }, { t: new Date(), v: 'new' }]);
      await clustered.insertMany([{ _id: new Date(Date.now() - 60_000) as never, v: 'old' }, { _id: new Date(Date.now() + 3_600_000) as never, v: 'new' }]);

      // The monitor now wakes every second; mongod's first pass may take up to the old period.
      const deadline = Date.now() + (mongo.engine === 'embedded' ? 10_000 : 90_000);
      while ((await metrics.countDocuments({ v: 'old' })) + (await clustered.countDocuments({ v: 'old' })) > 0 && Date.now() < deadline) await delay(200);

      expect((await metrics.find({}).toArray()).map((m) => m.v)).toEqual(['new']);
      expect((await clustered.find({}).toArray()).map((m) => m.v)).toEqual(['new']);
    } finally {
      await admin.command({ setParameter: 1, ttlMonitorSleepSecs: before });
    }
  }, 100_000);

  it('answers Unauthorized (13) outside admin and InvalidOptions (72) for an unknown parameter', async () => {
    const outside = await failure(mongo.db().command({ setParameter: 1, ttlMonitorSleepSecs: 5 }));
    const unknown = await failure(mongo.client().db('admin').command({ setParameter: 1, noSuchParameterHere: 1 }));

    expect(outside.code).toBe(13);
    expect(unknown.code).toBe(72);
  });
});
