import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { Decimal128, Double, Int32, Long } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('$jsonSchema validators', () => {
  describe('when a write breaks the schema', () => {
    it('answers DocumentValidationFailure (121) on insert and update, and keeps valid writes', async () => {
      await mongo.db().createCollection('validated', {
        validator: {
          $jsonSchema: {
            bsonType: 'object',
            required: ['email', 'age'],
            properties: { email: { bsonType: 'string', pattern: '@' }, age: { bsonType: 'int', minimum: 0 } },
          },
        },
      });
      const validated = mongo.db().collection('validated');
      await validated.insertOne({ email: 'a@b.c', age: 30 });

      const missing = await failure(validated.insertOne({ email: 'a@b.c' }));
      const badUpdate = await failure(validated.updateOne({ email: 'a@b.c' }, { $set: { age: -1 } }));
      const viaCommand = await failure(validated.findOneAndUpdate({ email: 'a@b.c' }, { $set: { email: 'nope' } }));

      expect(missing.code).toBe(121);
      expect(missing.errmsg).toBe('Document failed validation');
      expect(missing.errInfo?.details?.operatorName).toBe('$jsonSchema');
      expect(badUpdate.code).toBe(121);
      expect(viaCommand.codeName).toBe('DocumentValidationFailure');
      expect(await validated.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ email: 'a@b.c', age: 30 }]);
    });
  });
});

describe('TTL indexes', () => {
  it('expire documents whose date is older than expireAfterSeconds', async () => {
    const sessions = mongo.db().collection('sessions');
    await sessions.createIndex({ createdAt: 1 }, { expireAfterSeconds: 1 });
    await sessions.insertMany([{ sid: 'old', createdAt: new Date(Date.now() - 60_000) }, { sid: 'fresh', createdAt: new Date(Date.now() + 3_600_000) }, { sid: 'no-date' }]);

    // mongod sweeps every 60 s; the embedded engine here every 200 ms.
    const deadline = Date.now() + (mongo.engine === 'embedded' ? 5_000 : 90_000);
    while ((await sessions.countDocuments({ sid: 'old' })) > 0 && Date.now() < deadline) await delay(100);

    expect((await sessions.find({}).sort({ sid: 1 }).toArray()).map((s) => s.sid)).toEqual(['fresh', 'no-date']);
  }, 100_000);
});

describe('numeric types', () => {
  it('compares Long, Int32, Double and Decimal128 by value', async () => {
    const nums = mongo.db().collection('nums');
    await nums.insertMany([
      { k: 'long', n: Long.fromNumber(5) },
      { k: 'int', n: new Int32(5) },
      { k: 'double', n: new Double(5.5) },
      { k: 'decimal', n: Decimal128.fromString('4.5') },
    ]);

    const five = await nums.find({ n: 5 }).toArray();
    const above = await nums.find({ n: { $gt: Long.fromNumber(4) } }).sort({ n: 1 }).toArray();

    expect(five.map((d) => d.k).sort()).toEqual(['int', 'long']);
    expect(above.map((d) => d.k)).toEqual(['decimal', expect.any(String), expect.any(String), 'double']);
  });

  it('$inc keeps Long a Long and Decimal128 a Decimal128, exactly', async () => {
    const counters = mongo.db().collection('counters');
    await counters.insertOne({ _id: 'c' as never, big: Long.fromString('9007199254740993'), price: Decimal128.fromString('0.1') });

    await counters.updateOne({ _id: 'c' as never }, { $inc: { big: 1, price: Decimal128.fromString('0.2') } });
    await counters.updateOne({ _id: 'c' as never }, { $inc: { fresh: Long.fromNumber(2) } });

    const doc = await counters.findOne({ _id: 'c' as never }, { promoteLongs: false });
    expect(doc?.big).toBeInstanceOf(Long);
    expect(String(doc?.big)).toBe('9007199254740994');
    expect(doc?.price).toBeInstanceOf(Decimal128);
    expect(String(doc?.price)).toBe('0.3');
    expect(String(doc?.fresh)).toBe('2');
  });

  it('works through mongoose Decimal128 and BigInt paths', async () => {
    const connection = await mongo.mongoose();
    const Wallet = connection.model('Wallet', new Schema({ cents: BigInt, amount: Schema.Types.Decimal128 }));
    const wallet = await Wallet.create({ cents: 10n, amount: Decimal128.fromString('1.10') });

    await Wallet.updateOne({ _id: wallet._id }, { $inc: { cents: 5, amount: Decimal128.fromString('0.05') } });

    const after = await Wallet.findById(wallet._id).orFail();
    expect(after.cents).toBe(15n);
    expect(String(after.amount)).toBe('1.15');
  });
});
