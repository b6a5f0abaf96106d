import { describe, expect, it } from '@jest/globals';
import { type ClientSession, MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

class Rollback extends Error {}

/** mongod's answer to the second writer of a document: code 112, retryable as a whole transaction. */
function expectWriteConflict(error: MongoServerError): void {
  expect(error).toBeInstanceOf(MongoServerError);
  expect(error.code).toBe(112);
  expect(error.codeName).toBe('WriteConflict');
  expect(error.errorLabels).toContain('TransientTransactionError');
  expect(error.hasErrorLabel('TransientTransactionError')).toBe(true);
}

/** abortTransaction after a conflict: the server already aborted it, the driver ignores that. */
async function endQuietly(...sessions: ClientSession[]): Promise<void> {
  for (const session of sessions) {
    if (session.inTransaction()) await session.abortTransaction();
    await session.endSession();
  }
}

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

describe('isolation through the raw driver', () => {
  describe('when a transaction has inserted but not committed', () => {
    it('hides the insert from another client and from reads outside it until commit', async () => {
      const notes = mongo.db().collection('iso_notes');
      const other = (await mongo.newClient()).db(mongo.dbName).collection('iso_notes');
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        await notes.insertOne({ _id: 'n1', text: 'draft' } as never, { session });

        expect(await other.findOne({ _id: 'n1' } as never)).toBeNull();
        expect(await notes.findOne({ _id: 'n1' } as never)).toBeNull();
        expect(await other.countDocuments({})).toBe(0);

        await session.commitTransaction();
      } finally {
        await endQuietly(session);
      }
      expect(await other.findOne({ _id: 'n1' } as never)).toEqual({ _id: 'n1', text: 'draft' });
    });
  });

  describe('when a transaction reads what it wrote', () => {
    it('sees its own inserts, updates and deletes through find, indexes, count, aggregate and findAndModify', async () => {
      const users = mongo.db().collection('iso_users');
      await users.createIndex({ email: 1 });
      await users.insertMany([{ _id: 1, email: 'old@x.io', n: 1 }, { _id: 2, email: 'gone@x.io', n: 2 }] as never[]);
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        await users.insertOne({ _id: 3, email: 'new@x.io', n: 3 } as never, { session });
        await users.updateOne({ _id: 1 } as never, { $set: { email: 'renamed@x.io' } }, { session });
        await users.deleteOne({ _id: 2 } as never, { session });

        expect(await users.findOne({ _id: 3 } as never, { session })).toEqual({ _id: 3, email: 'new@x.io', n: 3 });
        expect(await users.findOne({ email: 'renamed@x.io' }, { session })).toMatchObject({ _id: 1 });
        expect(await users.findOne({ email: 'old@x.io' }, { session })).toBeNull();
        expect(await users.findOne({ email: 'gone@x.io' }, { session })).toBeNull();
        expect(await users.countDocuments({}, { session })).toBe(2);
        const sum = await users.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }], { session }).toArray();
        expect(sum).toEqual([{ _id: null, total: 4 }]);
        const bumped = await users.findOneAndUpdate({ email: 'new@x.io' }, { $inc: { n: 10 } }, { session, returnDocument: 'after' });
        expect(bumped).toEqual({ _id: 3, email: 'new@x.io', n: 13 });

        // Outside, nothing has happened yet.
        expect(await users.find({}).sort({ _id: 1 }).toArray()).toEqual([
          { _id: 1, email: 'old@x.io', n: 1 },
          { _id: 2, email: 'gone@x.io', n: 2 },
        ]);
        await session.commitTransaction();
      } finally {
        await endQuietly(session);
      }
      expect(await users.find({}).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, email: 'renamed@x.io', n: 1 },
        { _id: 3, email: 'new@x.io', n: 13 },
      ]);
      expect(await users.findOne({ email: 'renamed@x.io' })).toMatchObject({ _id: 1 });
    });

    it('keeps reading its snapshot while others commit changes', async () => {
      const stock = mongo.db().collection('iso_stock');
      await stock.insertOne({ _id: 'apple', qty: 5 } as never);
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        expect(await stock.findOne({ _id: 'apple' } as never, { session })).toEqual({ _id: 'apple', qty: 5 });
        await stock.updateOne({ _id: 'apple' } as never, { $set: { qty: 0 } });
        expect(await stock.findOne({ _id: 'apple' } as never, { session })).toEqual({ _id: 'apple', qty: 5 });
        await session.commitTransaction();
      } finally {
        await endQuietly(session);
      }
    });
  });

  describe('when a transaction is aborted', () => {
    it('leaves nothing behind, and nothing was ever visible outside it', async () => {
      const items = mongo.db().collection('iso_items');
      await items.insertOne({ _id: 'keep', v: 1 } as never);
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        await items.insertOne({ _id: 'temp', v: 2 } as never, { session });
        await items.updateOne({ _id: 'keep' } as never, { $set: { v: 99 } }, { session });
        expect(await items.find({}).toArray()).toEqual([{ _id: 'keep', v: 1 }]);
        await session.abortTransaction();
      } finally {
        await endQuietly(session);
      }
      expect(await items.find({}).toArray()).toEqual([{ _id: 'keep', v: 1 }]);
    });
  });

  describe('when two open transactions write the same document', () => {
    it('fails the second with WriteConflict (112) labelled TransientTransactionError, and the first commits', async () => {
      const seats = mongo.db().collection('iso_seats');
      await seats.insertOne({ _id: 'A1', holder: null } as never);
      const first = mongo.client().startSession();
      const otherClient = await mongo.newClient();
      const second = otherClient.startSession();
      const seatsForSecond = otherClient.db(mongo.dbName).collection('iso_seats');
      try {
        first.startTransaction();
        second.startTransaction();
        await seats.updateOne({ _id: 'A1' } as never, { $set: { holder: 'ann' } }, { session: first });

        const error = await failure(seatsForSecond.updateOne({ _id: 'A1' } as never, { $set: { holder: 'bob' } }, { session: second }));

        expectWriteConflict(error);
        await second.abortTransaction();
        await first.commitTransaction();
      } finally {
        await endQuietly(first, second);
      }
      expect(await seats.findOne({ _id: 'A1' } as never)).toEqual({ _id: 'A1', holder: 'ann' });
    });

    it('treats inserts of the same _id and deletes the same way', async () => {
      const tickets = mongo.db().collection('iso_tickets');
      await tickets.insertOne({ _id: 't1' } as never);
      const first = mongo.client().startSession();
      const second = mongo.client().startSession();
      try {
        first.startTransaction();
        second.startTransaction();
        await tickets.insertOne({ _id: 't2' } as never, { session: first });
        expectWriteConflict(await failure(tickets.insertOne({ _id: 't2' } as never, { session: second })));
        await second.abortTransaction();

        second.startTransaction();
        await tickets.deleteOne({ _id: 't1' } as never, { session: first });
        expectWriteConflict(await failure(tickets.findOneAndDelete({ _id: 't1' } as never, { session: second })));
        await second.abortTransaction();
        await first.commitTransaction();
      } finally {
        await endQuietly(first, second);
      }
      expect(await tickets.find({}).toArray()).toEqual([{ _id: 't2' }]);
    });

    it('fails a write outside any transaction with WriteConflict (112) on the embedded engine (mongod makes it wait)', async () => {
      if (mongo.engine !== 'embedded') return; // mongod blocks the write until the transaction ends
      const docs = mongo.db().collection('iso_plain');
      await docs.insertOne({ _id: 'd', v: 0 } as never);
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        await docs.updateOne({ _id: 'd' } as never, { $set: { v: 1 } }, { session });
        const error = await failure(docs.updateOne({ _id: 'd' } as never, { $set: { v: 2 } }));
        expect(error.code).toBe(112);
        await session.commitTransaction();
      } finally {
        await endQuietly(session);
      }
      await docs.updateOne({ _id: 'd' } as never, { $inc: { v: 10 } });
      expect(await docs.findOne({ _id: 'd' } as never)).toEqual({ _id: 'd', v: 11 });
    });
  });

  describe('when withTransaction hits a write conflict', () => {
    it('retries the callback and commits once the other transaction has committed', async () => {
      const counters = mongo.db().collection('iso_counters');
      await counters.insertOne({ _id: 'c', value: 0 } as never);
      const first = mongo.client().startSession();
      const second = mongo.client().startSession();
      let attempts = 0;
      const seen: number[] = [];
      try {
        first.startTransaction();
        await counters.updateOne({ _id: 'c' } as never, { $inc: { value: 1 } }, { session: first });

        await second.withTransaction(async () => {
          attempts += 1;
          try {
            const doc = await counters.findOneAndUpdate({ _id: 'c' } as never, { $inc: { value: 10 } }, { session: second, returnDocument: 'after' });
            seen.push(doc?.value as number);
          } catch (error) {
            expectWriteConflict(error as MongoServerError);
            // Deterministic: the first transaction finishes before withTransaction retries.
            if (attempts === 1) await first.commitTransaction();
            throw error;
          }
        });
      } finally {
        await endQuietly(first, second);
      }
      expect(attempts).toBe(2);
      expect(seen).toEqual([11]);
      expect(await counters.findOne({ _id: 'c' } as never)).toEqual({ _id: 'c', value: 11 });
    });
  });

  describe("when a transaction's insert repeats a unique key", () => {
    it('answers 11000 against committed data and against its own earlier insert', async () => {
      const accounts = mongo.db().collection('iso_accounts');
      await accounts.createIndex({ email: 1 }, { unique: true });
      await accounts.insertOne({ email: 'taken@x.io' });
      const session = mongo.client().startSession();
      try {
        session.startTransaction();
        const committed = await failure(accounts.insertOne({ email: 'taken@x.io' }, { session }));
        expect(committed.code).toBe(11000);
        expect(committed.keyValue).toEqual({ email: 'taken@x.io' });
        await session.abortTransaction();

        session.startTransaction();
        await accounts.insertOne({ email: 'fresh@x.io' }, { session });
        const own = await failure(accounts.insertOne({ email: 'fresh@x.io' }, { session }));
        expect(own.code).toBe(11000);
        expect(own.keyValue).toEqual({ email: 'fresh@x.io' });
        await session.abortTransaction();
      } finally {
        await endQuietly(session);
      }
      expect(await accounts.countDocuments({})).toBe(1);
    });

    it('lets a transaction swap unique values between two documents', async () => {
      const slots = mongo.db().collection('iso_slots');
      await slots.createIndex({ slot: 1 }, { unique: true });
      await slots.insertMany([{ _id: 'a', slot: 1 }, { _id: 'b', slot: 2 }] as never[]);
      const session = mongo.client().startSession();
      try {
        await session.withTransaction(async () => {
          await slots.updateOne({ _id: 'a' } as never, { $set: { slot: 3 } }, { session });
          await slots.updateOne({ _id: 'b' } as never, { $set: { slot: 1 } }, { session });
          await slots.updateOne({ _id: 'a' } as never, { $set: { slot: 2 } }, { session });
        });
      } finally {
        await session.endSession();
      }
      expect(await slots.find({}).sort({ _id: 1 }).toArray()).toEqual([{ _id: 'a', slot: 2 }, { _id: 'b', slot: 1 }]);
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

describe('isolation through mongoose', () => {
  it('hides uncommitted writes, shows them to the transaction, and conflicts a second writer with 112', async () => {
    const connection = await mongo.mongoose();
    const Seat = connection.model('IsoSeat', new Schema({ _id: String, holder: String }));
    await Seat.createCollection();
    await Seat.create({ _id: 'B7', holder: 'nobody' });
    const first = await connection.startSession();
    const second = await connection.startSession();
    try {
      first.startTransaction();
      second.startTransaction();
      await Seat.updateOne({ _id: 'B7' }, { holder: 'ann' }, { session: first });
      await Seat.create([{ _id: 'C1', holder: 'ann' }], { session: first });

      expect(await Seat.findById('B7', null, { session: first }).lean()).toEqual({ _id: 'B7', holder: 'ann', __v: 0 });
      expect(await Seat.countDocuments({ holder: 'ann' }).session(first)).toBe(2);
      expect(await Seat.findById('B7').lean()).toEqual({ _id: 'B7', holder: 'nobody', __v: 0 });
      expect(await Seat.findById('C1').lean()).toBeNull();

      const error = await failure(Seat.updateOne({ _id: 'B7' }, { holder: 'bob' }, { session: second }));
      expectWriteConflict(error);

      await second.abortTransaction();
      await first.commitTransaction();
    } finally {
      await endQuietly(first, second);
    }
    expect(await Seat.findById('B7').lean()).toEqual({ _id: 'B7', holder: 'ann', __v: 0 });
    expect(await Seat.countDocuments()).toBe(2);
  });

  it('retries connection.transaction() after a write conflict and commits once the first transaction has', async () => {
    const connection = await mongo.mongoose();
    const Wallet = connection.model('IsoWallet', new Schema({ _id: String, coins: Number }));
    await Wallet.createCollection();
    await Wallet.create({ _id: 'w', coins: 0 });
    const first = await connection.startSession();
    let attempts = 0;
    try {
      first.startTransaction();
      await Wallet.updateOne({ _id: 'w' }, { $inc: { coins: 5 } }, { session: first });
      await connection.transaction(async (session) => {
        attempts += 1;
        try {
          await Wallet.updateOne({ _id: 'w' }, { $inc: { coins: 1 } }, { session });
        } catch (error) {
          expectWriteConflict(error as MongoServerError);
          if (attempts === 1) await first.commitTransaction();
          throw error;
        }
      });
    } finally {
      await endQuietly(first);
    }
    expect(attempts).toBe(2);
    expect(await Wallet.findById('w').lean()).toEqual({ _id: 'w', coins: 6, __v: 0 });
  });

  it('answers 11000 when a transaction repeats a unique key it inserted or one already committed', async () => {
    const connection = await mongo.mongoose();
    const Member = connection.model('IsoMember', new Schema({ email: { type: String, unique: true } }));
    await Member.init();
    await Member.create({ email: 'one@x.io' });
    const error = await failure(
      connection.transaction(async (session) => {
        await Member.create([{ email: 'two@x.io' }], { session });
        await Member.create([{ email: 'one@x.io' }], { session });
      }),
    );
    expect(error.code).toBe(11000);
    expect(error.keyValue).toEqual({ email: 'one@x.io' });
    const own = await failure(
      connection.transaction(async (session) => {
        await Member.create([{ email: 'three@x.io' }], { session });
        await Member.create([{ email: 'three@x.io' }], { session });
      }),
    );
    expect(own.code).toBe(11000);
    expect((await Member.find().lean()).map((m) => m.email)).toEqual(['one@x.io']);
  });
});
