import { beforeEach, describe, expect, it } from '@jest/globals';
import { Code, type Filter, type UpdateFilter } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();
interface Thing {
  _id: number;
  n: number;
  tags: string | string[];
  list: number[];
  items: Array<{ k: number; v: string }>;
  name: string;
  big?: string;
}
const things = () => mongo.db().collection<Thing>('things');

beforeEach(async () => {
  await things().deleteMany({});
  await things().insertMany([
    { _id: 1, n: 1, tags: 'solo', list: [1, 2, 3, 4, 5], items: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }, { k: 3, v: 'c' }], name: 'x' },
    { _id: 2, n: 2, tags: ['solo', 'duo'], list: [], items: [], name: 'y' },
  ]);
});

describe('$where and $function (server-side JavaScript in a vm, with a time limit)', () => {
  it('matches with an expression, a function and BSON Code', async () => {
    expect(await things().countDocuments({ $where: 'this.n > 1' })).toBe(1);
    // Drivers send a JavaScript function as BSON Code; the driver's types only know strings and functions.
    expect(await things().countDocuments({ $where: new Code('function () { return this.name === "x"; }') } as unknown as Filter<Thing>)).toBe(1);
    expect(await things().countDocuments({ n: { $gte: 1 }, $where: 'this.list.length === 0' })).toBe(1);
  });

  it('runs $function in $expr and in an aggregation stage', async () => {
    const matched = await things().countDocuments({ $expr: { $function: { body: 'function (n) { return n % 2 === 0; }', args: ['$n'], lang: 'js' } } });
    const doubled = await things()
      .aggregate([{ $sort: { _id: 1 } }, { $project: { _id: 0, twice: { $function: { body: new Code('function (n) { return n * 2; }'), args: ['$n'], lang: 'js' } } } }])
      .toArray();

    expect(matched).toBe(1);
    expect(doubled).toEqual([{ twice: 2 }, { twice: 4 }]);
  });

  it('ends a script that never returns with JSInterpreterFailure (139) instead of hanging the server', async () => {
    const error = await failure(things().countDocuments({ $where: 'function () { for (;;) {} }' }));

    expect(error.code).toBe(139);
    if (mongo.engine === 'embedded') expect(error.message).toMatch(/ran longer than \d+ ms/);
    expect(await things().countDocuments({})).toBe(2);
  });

  it('offers sleep(), and ends a script that sleeps past maxTimeMS with MaxTimeMSExpired (50)', async () => {
    const slept = await things().countDocuments({ $where: 'sleep(1) || true' });
    const error = await failure(things().find({ $where: 'sleep(5000) || true' }).maxTimeMS(20).toArray());

    expect(slept).toBe(2);
    expect(error.code).toBe(50);
    expect(error.message).toMatch(/time limit/);
  });

  it('runs $accumulator in $group', async () => {
    const [total] = await things()
      .aggregate([
        {
          $group: {
            _id: null,
            sum: {
              $accumulator: {
                init: 'function () { return 0; }',
                accumulate: 'function (state, n) { return state + n; }',
                accumulateArgs: ['$n'],
                merge: 'function (a, b) { return a + b; }',
                lang: 'js',
              },
            },
          },
        },
      ])
      .toArray();

    expect(total).toEqual({ _id: null, sum: 3 });
  });

  it('answers a syntax error with JSInterpreterFailure (139)', async () => {
    expect((await failure(things().find({ $where: 'this.n >' }).toArray())).code).toBe(139);
  });
});

describe('$all', () => {
  it('matches a scalar field equal to its one value, as well as arrays holding every value', async () => {
    expect(await things().countDocuments({ tags: { $all: ['solo'] } })).toBe(2);
    expect(await things().countDocuments({ tags: { $all: ['solo', 'duo'] } })).toBe(1);
    expect(await things().countDocuments({ tags: { $all: [] } })).toBe(0);
    expect(await things().countDocuments({ items: { $all: [{ $elemMatch: { k: 2 } }, { $elemMatch: { v: 'c' } }] } })).toBe(1);
  });
});

describe('$slice projection', () => {
  it('alone, returns every other field with the array sliced', async () => {
    const doc = await things().findOne({ _id: 1 }, { projection: { list: { $slice: 2 } } });

    expect(doc).toEqual({ _id: 1, n: 1, tags: 'solo', list: [1, 2], items: expect.any(Array), name: 'x' });
  });

  it('takes the last n, and [skip, limit], also beside an inclusion or an exclusion', async () => {
    expect((await things().findOne({ _id: 1 }, { projection: { list: { $slice: -2 } } }))?.list).toEqual([4, 5]);
    expect((await things().findOne({ _id: 1 }, { projection: { list: { $slice: [1, 2] } } }))?.list).toEqual([2, 3]);
    expect((await things().findOne({ _id: 1 }, { projection: { list: { $slice: [-2, 5] } } }))?.list).toEqual([4, 5]);
    expect(await things().findOne({ _id: 1 }, { projection: { name: 1, list: { $slice: 1 } } })).toEqual({ _id: 1, name: 'x', list: [1] });
    expect(await things().findOne({ _id: 1 }, { projection: { items: 0, tags: 0, list: { $slice: 1 } } })).toEqual({ _id: 1, n: 1, list: [1], name: 'x' });
  });
});

describe('updates mongod refuses or handles differently from a naive array library', () => {
  it('$pull with $or removes every element matching the condition', async () => {
    // The driver's types have no $or inside $pull, though mongod accepts it.
    await things().updateOne({ _id: 1 }, { $pull: { items: { $or: [{ k: 1 }, { v: 'c' }] } } } as unknown as UpdateFilter<Thing>);

    expect((await things().findOne({ _id: 1 }))?.items).toEqual([{ k: 2, v: 'b' }]);
  });

  it('$pull with $and removes only elements matching both', async () => {
    await things().updateOne({ _id: 1 }, { $pull: { items: { $and: [{ k: { $gte: 2 } }, { v: 'b' }] } } } as unknown as UpdateFilter<Thing>);

    expect((await things().findOne({ _id: 1 }))?.items).toEqual([{ k: 1, v: 'a' }, { k: 3, v: 'c' }]);
  });

  it('refuses $push and $addToSet on a field that is not an array (BadValue, 2) and leaves the document alone', async () => {
    // Wrong on purpose: the driver's types already refuse these, the server must too.
    const push = await failure(things().updateOne({ _id: 1 }, { $push: { name: 'z' } } as unknown as UpdateFilter<Thing>));
    const addToSet = await failure(things().updateOne({ _id: 1 }, { $addToSet: { n: 3 } } as unknown as UpdateFilter<Thing>));

    expect([push.code, addToSet.code]).toEqual([2, 2]);
    expect((await things().findOne({ _id: 1 }))?.name).toBe('x');
  });

  it('refuses to create a field inside an array by name or below a scalar (PathNotViable, 28)', async () => {
    const throughArray = await failure(things().updateOne({ _id: 1 }, { $set: { 'list.size': 5 } }));
    const belowScalar = await failure(things().updateOne({ _id: 1 }, { $set: { 'name.first': 'x' } }));
    await things().updateOne({ _id: 1 }, { $set: { 'list.0': 10, 'items.1.v': 'B' } });

    expect([throughArray.code, belowScalar.code]).toEqual([28, 28]);
    const doc = await things().findOne({ _id: 1 });
    expect(doc?.list).toEqual([10, 2, 3, 4, 5]);
    expect((doc?.items as unknown[])[1]).toEqual({ k: 2, v: 'B' });
  });
});

describe('limits and options', () => {
  it('refuses a document over 16 MiB with BSONObjectTooLarge (10334), on insert and on update', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024);

    const insert = await failure(things().insertOne({ _id: 3, n: 3, tags: [], list: [], items: [], name: 'z', big }));
    const update = await failure(things().updateOne({ _id: 1 }, { $set: { big } }));

    expect([insert.code, update.code]).toEqual([10334, 10334]);
    expect(await things().countDocuments({})).toBe(2);
    expect((await things().findOne({ _id: 1 }))?.big).toBeUndefined();
    // 32 MiB through the driver and the engine: seconds on a loaded machine, so the
    // limit is a net for a hang, not Jest's 20 s.
  }, 120_000);

  it('runs $out through the driver (a 64-bit cursor id in the reply)', async () => {
    const result = await things().aggregate([{ $match: { n: 1 } }, { $out: 'copied' }]).toArray();

    expect(result).toEqual([]);
    expect(await mongo.db().collection('copied').countDocuments({})).toBe(1);
  });

  it('refuses a malformed collection default collation instead of ignoring it, and creates nothing', async () => {
    const error = await failure(mongo.db().createCollection('folded', { collation: { locale: 'en', strength: 9 } }));

    expect(error.code).toBe(2);
    expect(await mongo.db().listCollections({ name: 'folded' }).toArray()).toEqual([]);
  });
});
