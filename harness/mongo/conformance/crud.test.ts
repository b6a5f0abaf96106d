import { describe, expect, it } from '@jest/globals';
import { Binary, Long, UUID } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('insert, find, update, delete', () => {
  describe('when documents are inserted and read back', () => {
    it('returns them with filter, sort, skip, limit and projection applied', async () => {
      const people = mongo.db().collection('people');
      await people.insertMany([
        { name: 'ada', age: 36, tags: ['math'] },
        { name: 'bob', age: 25, tags: ['art', 'math'] },
        { name: 'cy', age: 41, tags: [] },
      ]);

      const found = await people.find({ age: { $gte: 30 } }, { projection: { _id: 0, name: 1 } }).sort({ age: -1 }).toArray();
      const second = await people.find({ tags: 'math' }).sort({ name: 1 }).skip(1).limit(1).toArray();

      expect(found).toEqual([{ name: 'cy' }, { name: 'ada' }]);
      expect(second.map((p) => p.name)).toEqual(['bob']);
    });
  });

  describe('when a result spans several batches', () => {
    it('pages through with getMore and the cursor ids the server hands out', async () => {
      const numbers = mongo.db().collection('numbers');
      await numbers.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));

      const cursor = numbers.find({}).sort({ i: 1 }).batchSize(100);
      const all = await cursor.toArray();

      expect(all).toHaveLength(250);
      expect(all[249]?.i).toBe(249);
    });

    it('forgets a cursor after killCursors, answering CursorNotFound (43) to a later getMore', async () => {
      const numbers = mongo.db().collection('numbers');
      const first = await mongo.db().command({ find: 'numbers', filter: {}, batchSize: 10 });
      const id = first.cursor.id as Long;
      expect(id.isZero()).toBe(false);

      const killed = await mongo.db().command({ killCursors: 'numbers', cursors: [id] });
      const error = await failure(mongo.db().command({ getMore: id, collection: 'numbers' }));

      expect(killed.cursorsKilled).toHaveLength(1);
      expect(error.code).toBe(43);
      expect(error.codeName).toBe('CursorNotFound');
      expect(await numbers.countDocuments()).toBe(250);
    });
  });

  describe('when updating', () => {
    it('updates many, upserts, and applies arrayFilters and pipeline updates', async () => {
      const items = mongo.db().collection('items');
      await items.insertMany([
        { sku: 'a', qty: 1, grades: [80, 95, 100] },
        { sku: 'b', qty: 2, grades: [90, 101] },
      ]);

      const many = await items.updateMany({}, { $inc: { qty: 10 } });
      const upsert = await items.updateOne({ sku: 'c' }, { $set: { qty: 5 }, $setOnInsert: { created: true } }, { upsert: true });
      // mongod refuses an array filter on a document without the array, so 'c' is left out.
      await items.updateMany({ grades: { $exists: true } }, { $set: { 'grades.$[high]': 100 } }, { arrayFilters: [{ high: { $gt: 100 } }] });
      await items.updateOne({ sku: 'a' }, [{ $set: { total: { $add: ['$qty', 100] } } }]);

      expect([many.matchedCount, many.modifiedCount]).toEqual([2, 2]);
      expect(upsert.upsertedCount).toBe(1);
      const docs = await items.find({}, { projection: { _id: 0 } }).sort({ sku: 1 }).toArray();
      expect(docs).toEqual([
        { sku: 'a', qty: 11, grades: [80, 95, 100], total: 111 },
        { sku: 'b', qty: 12, grades: [90, 100] },
        { sku: 'c', qty: 5, created: true },
      ]);
    });

    it('reports an unchanged document as matched but not modified', async () => {
      const items = mongo.db().collection('items');

      const result = await items.updateOne({ sku: 'c' }, { $set: { qty: 5 } });

      expect([result.matchedCount, result.modifiedCount]).toEqual([1, 0]);
    });

    it('answers ConflictingUpdateOperators (40) when two operators touch one path', async () => {
      const items = mongo.db().collection('items');

      // Write errors (updateOne) carry no codeName on mongod either; command errors (findAndModify) do.
      const viaUpdate = await failure(items.updateOne({ sku: 'a' }, { $set: { qty: 1 }, $inc: { qty: 1 } }));
      const viaFindAndModify = await failure(items.findOneAndUpdate({ sku: 'a' }, { $set: { qty: 1 }, $inc: { qty: 1 } }));

      expect(viaUpdate.code).toBe(40);
      expect(viaFindAndModify.code).toBe(40);
      expect(viaFindAndModify.codeName).toBe('ConflictingUpdateOperators');
      expect(viaFindAndModify.errmsg).toBe("Updating the path 'qty' would create a conflict at 'qty'");
    });

    it('answers ImmutableField (66) when an update would change _id', async () => {
      const error = await failure(mongo.db().collection('items').updateOne({ sku: 'a' }, { $set: { _id: 'other' } }));

      expect(error.code).toBe(66);
    });
  });

  describe('when deleting', () => {
    it('removes one or many and reports the count', async () => {
      const trash = mongo.db().collection('trash');
      await trash.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);

      const one = await trash.deleteOne({ k: 1 });
      const many = await trash.deleteMany({});

      expect([one.deletedCount, many.deletedCount]).toEqual([1, 2]);
    });
  });

  describe('when using findAndModify', () => {
    it('returns the document before or after, honours sort, fields and upsert', async () => {
      const queue = mongo.db().collection('queue');
      await queue.insertMany([{ job: 'x', prio: 1, state: 'new' }, { job: 'y', prio: 5, state: 'new' }]);

      const before = await queue.findOneAndUpdate({ state: 'new' }, { $set: { state: 'taken' } }, { sort: { prio: -1 }, projection: { _id: 0, job: 1, state: 1 } });
      const after = await queue.findOneAndUpdate({ job: 'x' }, { $set: { state: 'taken' } }, { returnDocument: 'after', projection: { _id: 0, state: 1 } });
      const upserted = await queue.findOneAndUpdate({ job: 'z' }, { $set: { prio: 0 } }, { upsert: true, returnDocument: 'after', projection: { _id: 0 } });
      const removed = await queue.findOneAndDelete({ job: 'z' });

      expect(before).toEqual({ job: 'y', state: 'new' });
      expect(after).toEqual({ state: 'taken' });
      expect(upserted).toEqual({ job: 'z', prio: 0 });
      expect(removed?.job).toBe('z');
    });
  });

  describe('when counting, distinct-ing and aggregating', () => {
    it('answers as mongod does', async () => {
      const sales = mongo.db().collection('sales');
      await sales.insertMany([
        { region: 'eu', amount: 10, tags: ['a', 'b'] },
        { region: 'eu', amount: 5, tags: ['b'] },
        { region: 'us', amount: 7, tags: [] },
      ]);

      const total = await sales.countDocuments({ region: 'eu' });
      const estimated = await sales.estimatedDocumentCount();
      const regions = await sales.distinct('region');
      const tags = await sales.distinct('tags');
      const grouped = await sales
        .aggregate([{ $match: { amount: { $gt: 1 } } }, { $group: { _id: '$region', sum: { $sum: '$amount' } } }, { $sort: { _id: 1 } }])
        .toArray();

      expect([total, estimated]).toEqual([2, 3]);
      expect(regions.sort()).toEqual(['eu', 'us']);
      expect(tags.sort()).toEqual(['a', 'b']);
      expect(grouped).toEqual([{ _id: 'eu', sum: 15 }, { _id: 'us', sum: 7 }]);
    });

    it('pages an aggregate cursor with getMore', async () => {
      const numbers = mongo.db().collection('numbers');

      const docs = await numbers.aggregate([{ $sort: { i: -1 } }, { $project: { _id: 0, i: 1 } }], { batchSize: 7 }).toArray();

      expect(docs).toHaveLength(250);
      expect(docs[0]).toEqual({ i: 249 });
    });
  });
});

describe('_id of any BSON type', () => {
  it('stores and finds string, number and UUID ids by value', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ids of every BSON type on purpose
    const ids = mongo.db().collection<any>('ids');
    const uuid = new UUID();
    await ids.insertMany([{ _id: 'one', v: 'string' }, { _id: 1, v: 'number' }, { _id: uuid, v: 'uuid' }, { _id: { a: 1 }, v: 'doc' }]);

    expect((await ids.findOne({ _id: 'one' }))?.v).toBe('string');
    expect((await ids.findOne({ _id: 1 }))?.v).toBe('number');
    expect((await ids.findOne({ _id: 1.0 }))?.v).toBe('number');
    expect((await ids.findOne({ _id: Long.fromNumber(1) }))?.v).toBe('number');
    expect(await ids.findOne({ _id: '1' })).toBeNull();
    expect((await ids.findOne({ _id: uuid }))?.v).toBe('uuid');
    expect((await ids.findOne({ _id: { a: 1 } }))?.v).toBe('doc');
    const stored = await ids.findOne({ v: 'uuid' });
    expect(stored?._id).toBeInstanceOf(Binary);
    expect((stored?._id as unknown as Binary).sub_type).toBe(4);
  });

  it('treats 1, 1.0 and Long(1) as the same _id', async () => {
    const ids = mongo.db().collection<{ _id: unknown }>('ids');

    const error = await failure(ids.insertOne({ _id: Long.fromNumber(1) }));

    expect(error.code).toBe(11000);
  });
});

describe('errors for bad input', () => {
  it('answers CommandNotFound (59) for an unknown command', async () => {
    const error = await failure(mongo.db().command({ frobnicate: 1 }));

    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
    expect(error.errmsg).toContain("no such command: 'frobnicate'");
  });

  it('answers BadValue (2) for an unknown query operator, naming it', async () => {
    const error = await failure(mongo.db().collection('people').find({ age: { $between: [1, 2] } }).toArray());

    expect(error.code).toBe(2);
    expect(error.codeName).toBe('BadValue');
    expect(error.errmsg).toContain('$between');
  });

  it('answers FailedToParse (9) for an unknown update operator, naming it', async () => {
    const error = await failure(mongo.db().collection('people').updateOne({}, { $frob: { a: 1 } } as never));

    expect(error.code).toBe(9);
    expect(error.errmsg).toContain('$frob');
  });

  it('answers NamespaceNotFound (26) when listing indexes of a missing collection', async () => {
    const error = await failure(mongo.db().collection('missing').listIndexes().toArray());

    expect(error.code).toBe(26);
    expect(error.codeName).toBe('NamespaceNotFound');
  });
});

describe('collections and databases', () => {
  it('lists, creates (NamespaceExists 48 on repeat), modifies and drops collections', async () => {
    await mongo.db().createCollection('made');
    const again = await failure(mongo.db().createCollection('made'));
    await mongo.db().command({ collMod: 'made', validator: { a: { $exists: true } } });

    const names = (await mongo.db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    const info = await mongo.db().listCollections({ name: 'made' }).toArray();
    const dropped = await mongo.db().collection('made').drop();

    expect(again.code).toBe(48);
    expect(names).toContain('made');
    expect((info[0] as { options?: unknown } | undefined)?.options).toEqual({ validator: { a: { $exists: true } } });
    expect(dropped).toBe(true);
  });

  it('lists its database and drops it', async () => {
    const client = await mongo.newClient();
    const scratch = client.db(`${mongo.dbName}_scratch`);
    await scratch.collection('x').insertOne({ a: 1 });

    const before = await client.db('admin').admin().listDatabases();
    await scratch.dropDatabase();
    const after = await client.db('admin').admin().listDatabases();

    expect(before.databases.map((d) => d.name)).toContain(`${mongo.dbName}_scratch`);
    expect(after.databases.map((d) => d.name)).not.toContain(`${mongo.dbName}_scratch`);
  });
});
