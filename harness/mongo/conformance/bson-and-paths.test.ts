import { beforeEach, describe, expect, it } from '@jest/globals';
import { Binary, DBRef, type Document, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();
// Documents of every shape these cases need; the driver's types are not the subject here.
interface Loose extends Document {
  _id: number | string;
}
const docs = () => mongo.db().collection<Loose>('docs');

beforeEach(async () => {
  await docs().deleteMany({});
});

describe('positional paths ($ and $[id]) in one update', () => {
  beforeEach(async () => {
    await docs().insertOne({ _id: 1, items: [{ k: 1, v: 'a', n: 0 }, { k: 2, v: 'b', n: 0 }, { k: 3, v: 'c', n: 0 }] });
  });

  it('sets two fields of the element the query matched', async () => {
    await docs().updateOne({ _id: 1, 'items.k': 2 }, { $set: { 'items.$.v': 'B' }, $inc: { 'items.$.n': 5 } });

    expect((await docs().findOne({ _id: 1 }))?.items).toEqual([{ k: 1, v: 'a', n: 0 }, { k: 2, v: 'B', n: 5 }, { k: 3, v: 'c', n: 0 }]);
  });

  it('applies two array filters, each to the elements it selected before the update', async () => {
    await docs().updateOne(
      { _id: 1 },
      { $set: { 'items.$[low].v': 'low', 'items.$[high].v': 'high' }, $inc: { 'items.$[low].k': 10 } },
      { arrayFilters: [{ 'low.k': { $lt: 2 } }, { 'high.k': { $gte: 3 } }] },
    );

    expect((await docs().findOne({ _id: 1 }))?.items).toEqual([{ k: 11, v: 'low', n: 0 }, { k: 2, v: 'b', n: 0 }, { k: 3, v: 'high', n: 0 }]);
  });

  // Write errors carry a code and no codeName, on mongod as here.
  it('refuses two filters that land on the same field (40), an unused filter (9), a missing one and an unmatched $ (2)', async () => {
    const conflict = await failure(docs().updateOne({ _id: 1 }, { $set: { 'items.$[a].v': 'x', 'items.$[b].v': 'y' } }, { arrayFilters: [{ 'a.k': 1 }, { 'b.v': 'a' }] }));
    const unused = await failure(docs().updateOne({ _id: 1 }, { $set: { 'items.$[a].v': 'x' } }, { arrayFilters: [{ 'a.k': 1 }, { 'b.k': 2 }] }));
    const missing = await failure(docs().updateOne({ _id: 1 }, { $set: { 'items.$[a].v': 'x' } }));
    const noMatch = await failure(docs().updateOne({ _id: 1 }, { $set: { 'items.$.v': 'x' } }));

    expect([conflict.code, unused.code, missing.code, noMatch.code]).toEqual([40, 9, 2, 2]);
    expect((await docs().findOne({ _id: 1 }))?.items[0]).toEqual({ k: 1, v: 'a', n: 0 });
  });
});

describe('$push with modifiers', () => {
  it('$each with $sort, $slice and $position', async () => {
    const lists = mongo.db().collection<{ _id: number; list: number[]; scores: Array<{ s: number }> }>('docs');
    await lists.insertOne({ _id: 1, list: [5, 1], scores: [{ s: 3 }, { s: 9 }] });

    await lists.updateOne({ _id: 1 }, { $push: { list: { $each: [7, 3], $slice: 3 }, scores: { $each: [{ s: 5 }], $sort: { s: -1 }, $slice: -2 } } });
    await lists.updateOne({ _id: 1 }, { $push: { list: { $each: [0], $position: 1 } } });

    expect(await lists.findOne({ _id: 1 })).toEqual({ _id: 1, list: [5, 0, 1, 7], scores: [{ s: 5 }, { s: 3 }] });
  });

  it('$slice: 0 with an empty $each empties the array; $slice on a missing field creates it sliced', async () => {
    const lists = mongo.db().collection<{ _id: number; list?: number[]; fresh?: number[] }>('docs');
    await lists.insertOne({ _id: 1, list: [1, 2] });

    await lists.updateOne({ _id: 1 }, { $push: { list: { $each: [], $slice: 0 }, fresh: { $each: [3, 1, 2], $sort: 1, $slice: -2 } } });

    expect(await lists.findOne({ _id: 1 })).toEqual({ _id: 1, list: [], fresh: [2, 3] });
  });
});

describe('BinData', () => {
  beforeEach(async () => {
    await docs().insertMany([
      { _id: 'two', b: new Binary(Buffer.from([1, 2]), 0) },
      { _id: 'one', b: new Binary(Buffer.from([1]), 0) },
      { _id: 'uuid', b: new Binary(Buffer.from([0, 0]), 4) },
      { _id: 'high', b: new Binary(Buffer.from([0xff]), 0) },
    ]);
  });

  it('sorts by length, then subtype, then bytes', async () => {
    const sorted = await docs().find().sort({ b: 1 }).toArray();

    expect(sorted.map((doc) => doc._id)).toEqual(['one', 'high', 'two', 'uuid']);
    expect(await docs().countDocuments({ b: { $gt: new Binary(Buffer.from([0x80]), 0) } })).toBe(3);
  });

  it('keeps a changed subtype on update', async () => {
    await docs().updateOne({ _id: 'one' }, { $set: { b: new Binary(Buffer.from([1]), 0x80) } });

    expect((await docs().findOne({ _id: 'one' }))?.b.sub_type).toBe(0x80);
  });

  it('tests bits of BinData (little-endian by byte) with the bitwise operators', async () => {
    const ids = async (filter: Document) => (await docs().find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);

    expect(await ids({ b: { $bitsAllSet: [0, 1, 7] } })).toEqual(['high']);
    expect(await ids({ b: { $bitsAllSet: [0, 9] } })).toEqual(['two']);
    expect(await ids({ b: { $bitsAnySet: 1 } })).toEqual(['high', 'one', 'two']);
    expect(await ids({ b: { $bitsAllClear: new Binary(Buffer.from([0xff])) } })).toEqual(['uuid']);
    expect(await ids({ b: { $bitsAnyClear: [0] } })).toEqual(['uuid']);
  });
});

describe('$type', () => {
  it('knows binData, objectId, timestamp, minKey and maxKey by alias and by number', async () => {
    await docs().insertMany([
      { _id: 'binData', t: new Binary(Buffer.from([1])) },
      { _id: 'objectId', t: new ObjectId() },
      { _id: 'timestamp', t: new Timestamp({ t: 1, i: 1 }) },
      { _id: 'minKey', t: new MinKey() },
      { _id: 'maxKey', t: new MaxKey() },
      { _id: 'string', t: 'x' },
      { _id: 'inArray', t: ['x', new ObjectId()] },
    ]);
    const ids = async (type: unknown) => (await docs().find({ t: { $type: type } }).sort({ _id: 1 }).toArray()).map((doc) => doc._id);

    expect(await ids('binData')).toEqual(['binData']);
    expect(await ids(5)).toEqual(['binData']);
    expect(await ids('objectId')).toEqual(['inArray', 'objectId']);
    expect(await ids(7)).toEqual(['inArray', 'objectId']);
    expect(await ids('timestamp')).toEqual(['timestamp']);
    expect(await ids(17)).toEqual(['timestamp']);
    expect(await ids(['minKey', 127])).toEqual(['maxKey', 'minKey']);
    expect(await ids('array')).toEqual(['inArray']);
  });

  it('refuses an unknown alias or number (BadValue, 2)', async () => {
    const alias = await failure(docs().find({ t: { $type: 'uuid' } }).toArray());
    const code = await failure(docs().find({ t: { $type: 42 } }).toArray());

    expect([alias.code, code.code]).toEqual([2, 2]);
  });
});

describe('DBRef', () => {
  it('is queried by $ref, $id and $db, also inside $elemMatch', async () => {
    const owner = new ObjectId();
    await docs().insertMany([
      { _id: 1, ref: new DBRef('users', owner), members: [new DBRef('users', owner, 'app')] },
      { _id: 2, ref: new DBRef('teams', new ObjectId(), 'other'), members: [] },
    ]);

    expect(await docs().countDocuments({ 'ref.$id': owner })).toBe(1);
    expect(await docs().countDocuments({ 'ref.$ref': 'teams', 'ref.$db': 'other' })).toBe(1);
    expect(await docs().countDocuments({ ref: new DBRef('users', owner) })).toBe(1);
    expect(await docs().countDocuments({ members: { $elemMatch: { $id: owner, $db: 'app' } } })).toBe(1);
  });
});

describe('field names stored as data', () => {
  it('keeps __proto__ and constructor as fields, without touching any prototype', async () => {
    await docs().insertOne({ _id: 1, hello: 'world', nested: JSON.parse('{"__proto__": {"own": true}}') as Document });

    await docs().updateOne({ _id: 1 }, { $rename: { hello: '__proto__.polluted' } });
    await docs().updateOne({ _id: 1 }, { $set: { 'constructor.polluted': 'yes', 'nested.__proto__.more': 1 } });
    const doc = await docs().findOne({ _id: 1 });

    expect(Object.hasOwn(doc ?? {}, '__proto__')).toBe(true);
    expect(doc?.['__proto__']).toEqual({ polluted: 'world' });
    expect(doc?.constructor).toEqual({ polluted: 'yes' });
    expect(doc?.nested['__proto__']).toEqual({ own: true, more: 1 });
    expect(({} as Document).polluted).toBeUndefined();
    expect((Object as unknown as Document).polluted).toBeUndefined();
  });

  it('queries __proto__ fields as data, and an upsert seeded by one pollutes nothing', async () => {
    const proto = (json: string) => JSON.parse(json) as Document;
    await docs().insertOne({ _id: 1, ...proto('{"__proto__": {"polluted": "world"}}') });

    const byPath = await docs().countDocuments({ '__proto__.polluted': 'world' });
    const byValue = await docs().countDocuments(proto('{"__proto__": {"polluted": "world"}}'));
    const byOperator = await docs().countDocuments(proto('{"__proto__.polluted": {"$in": ["world"]}}'));
    const none = await docs().countDocuments(proto('{"__proto__": {"polluted": "other"}}'));
    await docs().updateOne(proto('{"_id": 2, "__proto__": {"isAdmin": true}}'), { $set: proto('{"__proto__.polluted": "yes", "constructor.prototype.isAdmin": true}') }, { upsert: true });
    await docs().updateOne(proto('{"_id": 3, "__proto__.isAdmin": true, "constructor.prototype.isAdmin": true}'), { $set: { seen: true } }, { upsert: true });
    const upserted = await docs().findOne({ _id: 2 });
    const seeded = await docs().findOne({ _id: 3 });

    expect([byPath, byValue, byOperator, none]).toEqual([1, 1, 1, 0]);
    expect(Object.hasOwn(upserted ?? {}, '__proto__')).toBe(true);
    expect(upserted?.['__proto__']).toEqual({ isAdmin: true, polluted: 'yes' });
    expect(upserted?.constructor).toEqual({ prototype: { isAdmin: true } });
    expect(seeded?.['__proto__']).toEqual({ isAdmin: true });
    expect(seeded?.constructor).toEqual({ prototype: { isAdmin: true } });
    expect(({} as Document).polluted).toBeUndefined();
    expect(({} as Document).isAdmin).toBeUndefined();
    expect((Object.prototype as Document).isAdmin).toBeUndefined();
  });

  it('accepts $-prefixed field names in $set, top level or nested, and an upsert of one', async () => {
    await docs().insertOne({ _id: 1, prefs: { $each: 1 } });

    await docs().updateOne({ _id: 1 }, { $set: { $price: 10, 'prefs.$each': 2 } });
    await docs().updateOne({ _id: 2 }, { $set: { '$each.count': 42 } }, { upsert: true });

    expect(await docs().findOne({ _id: 1 })).toEqual({ _id: 1, prefs: { $each: 2 }, $price: 10 });
    expect(await docs().findOne({ _id: 2 })).toEqual({ _id: 2, $each: { count: 42 } });
  });
});

describe('projection', () => {
  beforeEach(async () => {
    await docs().insertOne({ _id: 1, a: 1, nums: [1, 5, 9], items: [{ k: 1 }, { k: 2, v: 'b' }] });
  });

  it('$elemMatch with a condition on the elements themselves or a top-level operator', async () => {
    expect(await docs().findOne({ _id: 1 }, { projection: { nums: { $elemMatch: { $gte: 4 } } } })).toEqual({ _id: 1, nums: [5] });
    expect(await docs().findOne({ _id: 1 }, { projection: { items: { $elemMatch: { $or: [{ k: 5 }, { v: 'b' }] } } } })).toEqual({ _id: 1, items: [{ k: 2, v: 'b' }] });
    expect(await docs().findOne({ _id: 1 }, { projection: { a: 1, items: { $elemMatch: { k: { $in: [3] } } } } })).toEqual({ _id: 1, a: 1 });
  });

  it('puts _id first in an inclusion, and an $elemMatch field after the others', async () => {
    const inclusion = await docs().findOne({ _id: 1 }, { projection: { a: 1, _id: 1 } });
    const withElemMatch = await docs().findOne({ _id: 1 }, { projection: { items: { $elemMatch: { k: 1 } }, a: 1, nums: 1 } });

    expect(Object.keys(inclusion ?? {})).toEqual(['_id', 'a']);
    expect(Object.keys(withElemMatch ?? {})).toEqual(['_id', 'a', 'nums', 'items']);
  });
});

describe('Long values in $type', () => {
  it('match "long" and "number"', async () => {
    await docs().insertOne({ _id: 1, n: Long.fromNumber(5) });

    expect(await docs().countDocuments({ n: { $type: 'long' } })).toBe(1);
    expect(await docs().countDocuments({ n: { $type: 'number' } })).toBe(1);
  });
});
