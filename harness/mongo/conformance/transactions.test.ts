import { describe, expect, it } from '@jest/globals';
import { MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

class Rollback extends Error {}

describe('transactions through the raw driver', () => {
  describe('when withTransaction completes', () => {
    it('commits every write', async () => {
      const accounts = mongo.db().collection('accounts');
      await accounts.insertMany([{ _id: 'a', balance: 100 }, { _id: 'b', balance: 0 }] as never[]);
      const session = mongo.client().startSession();

      try {
        await session.withTransaction(async () => {
          await accounts.updateOne({ _id: 'a' } as never, { $inc: { balance: -40 } }, { session });
          await accounts.updateOne({ _id: 'b' } as never, { $inc: { balance: 40 } }, { session });
          await mongo.db().collection('ledger').insertOne({ from: 'a', to: 'b', amount: 40 }, { session });
        });
      } finally {
        await session.endSession();
      }

      const balances = await accounts.find({}).sort({ _id: 1 }).toArray();
      expect(balances.map((a) => a.balance)).toEqual([60, 40]);
      expect(await mongo.db().collection('ledger').countDocuments()).toBe(1);
    });
  });

  describe('when the callback throws', () => {
    it('aborts and leaves no trace of inserts, updates, deletes or the collection it created', async () => {
      const accounts = mongo.db().collection('accounts');
      const session = mongo.client().startSession();

      await expect(
        session
          .withTransaction(async () => {
            await accounts.updateOne({ _id: 'a' } as never, { $inc: { balance: -60 } }, { session });
            await accounts.deleteOne({ _id: 'b' } as never, { session });
            await accounts.insertOne({ _id: 'c', balance: 1 } as never, { session });
            await mongo.db().collection('audit').insertOne({ note: 'never' }, { session });
            throw new Rollback('changed my mind');
          })
          .finally(() => session.endSession()),
      ).rejects.toBeInstanceOf(Rollback);

      const balances = await accounts.find({}).sort({ _id: 1 }).toArray();
      expect(balances).toEqual([{ _id: 'a', balance: 60 }, { _id: 'b', balance: 40 }]);
      const names = (await mongo.db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names).not.toContain('audit');
    });
  });

  describe('when a transaction is aborted explicitly', () => {
    it('rolls back, and a later commit of it answers NoSuchTransaction (251)', async () => {
      const accounts = mongo.db().collection('accounts');
      const session = mongo.client().startSession();
      session.startTransaction();
      await accounts.insertOne({ _id: 'tmp', balance: 5 } as never, { session });

      await session.abortTransaction();
      const error = await mongo
        .client()
        .db('admin')
        .command({ commitTransaction: 1, lsid: session.id, txnNumber: session.serverSession?.txnNumber, autocommit: false })
        .catch((e: MongoServerError) => e);
      await session.endSession();

      expect(await accounts.findOne({ _id: 'tmp' } as never)).toBeNull();
      expect((error as MongoServerError).code).toBe(251);
    });
  });
});

describe('transactions through mongoose', () => {
  it('commits with connection.transaction() and rolls back when the callback throws', async () => {
    const connection = await mongo.mongoose();
    const Order = connection.model('Order', new Schema({ item: String, qty: Number }));
    await Order.createCollection();

    await connection.transaction(async (session) => {
      await Order.create([{ item: 'kept', qty: 1 }], { session });
    });
    await expect(
      connection.transaction(async (session) => {
        await Order.create([{ item: 'lost', qty: 1 }], { session });
        await Order.updateOne({ item: 'kept' }, { $inc: { qty: 10 } }, { session });
        throw new Rollback('nope');
      }),
    ).rejects.toBeInstanceOf(Rollback);

    const orders = await Order.find().lean();
    expect(orders.map((o) => [o.item, o.qty])).toEqual([['kept', 1]]);
  });
});
