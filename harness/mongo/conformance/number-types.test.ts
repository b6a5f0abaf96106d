import { describe, expect, it } from '@jest/globals';
import { Double, Int32, Long } from 'mongodb';
import { Schema } from 'mongoose';
import { useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('number types as stored', () => {
  it('keeps an integral double a double, apart from an int32, for $type and on the way back', async () => {
    const nums = mongo.db().collection('nums');
    await nums.insertMany([
      { k: 'int', n: 42 },
      { k: 'int32', n: new Int32(7) },
      { k: 'double', n: new Double(42) },
      { k: 'fraction', n: 4.5 },
      { k: 'long', n: Long.fromNumber(42) },
    ]);
    const kinds = async (type: string) => (await nums.find({ n: { $type: type } }).sort({ k: 1 }).toArray()).map((d) => d.k);

    expect(await kinds('double')).toEqual(['double', 'fraction']);
    expect(await kinds('int')).toEqual(['int', 'int32']);
    expect(await kinds('long')).toEqual(['long']);
    expect(await kinds('number')).toEqual(['double', 'fraction', 'int', 'int32', 'long']);
    // Equal values still meet, whatever their type.
    expect((await nums.find({ n: 42 }).sort({ k: 1 }).toArray()).map((d) => d.k)).toEqual(['double', 'int', 'long']);

    const raw = await nums.findOne({ k: 'double' }, { promoteValues: false });
    expect((raw?.n as { _bsontype?: string })._bsontype).toBe('Double');
    const int = await nums.findOne({ k: 'int' }, { promoteValues: false });
    expect((int?.n as { _bsontype?: string })._bsontype).toBe('Int32');
  });

  it('keeps a double a double through $inc, even when the sum is integral', async () => {
    const nums = mongo.db().collection('sums');
    await nums.insertOne({ _id: 1 as never, d: 1.5, i: 1 });
    await nums.updateOne({ _id: 1 as never }, { $inc: { d: 0.5, i: 1 } });

    expect(await nums.countDocuments({ d: { $type: 'double' }, i: { $type: 'int' } })).toBe(1);
    expect(await nums.findOne({ _id: 1 as never })).toEqual({ _id: 1, d: 2, i: 2 });
  });

  it("answers mongoose's Int32 and Double schema types by their BSON type", async () => {
    const conn = await mongo.mongoose();
    const Reading = conn.model('Reading', new Schema({ count: Schema.Types.Int32, ratio: Schema.Types.Double }));
    await Reading.create({ count: 42, ratio: 3 });

    expect(await Reading.countDocuments({ count: { $type: 'int' } })).toBe(1);
    expect(await Reading.countDocuments({ count: { $type: 'double' } })).toBe(0);
    expect(await Reading.countDocuments({ ratio: { $type: 'double' } })).toBe(1);
  });
});
