import { describe, expect, it } from '@jest/globals';
import { MongoServerError, ObjectId } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('unique indexes through the raw driver', () => {
  describe('when a second document repeats a unique email', () => {
    it('answers 11000 with the errmsg, keyPattern and keyValue mongod gives', async () => {
      const users = mongo.db().collection('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertOne({ email: 'a@b.c' });

      const error = await failure(users.insertOne({ email: 'a@b.c' }));

      expect(error).toBeInstanceOf(MongoServerError);
      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ email: 1 });
      expect(error.keyValue).toEqual({ email: 'a@b.c' });
      expect(error.errmsg).toBe(`E11000 duplicate key error collection: ${mongo.dbName}.users index: email_1 dup key: { email: "a@b.c" }`);
      expect(await users.countDocuments({ email: 'a@b.c' })).toBe(1);
    });
  });

  describe('when the _id repeats', () => {
    it('answers 11000 on the _id_ index, for string and number ids alike', async () => {
      const things = mongo.db().collection<{ _id: unknown }>('things');
      await things.insertMany([{ _id: 'x' }, { _id: 7 }]);

      const byString = await failure(things.insertOne({ _id: 'x' }));
      const byNumber = await failure(things.insertOne({ _id: 7.0 }));

      expect(byString.code).toBe(11000);
      expect(byString.errmsg).toBe(`E11000 duplicate key error collection: ${mongo.dbName}.things index: _id_ dup key: { _id: "x" }`);
      expect(byNumber.keyValue).toEqual({ _id: 7 });
      expect(byNumber.keyPattern).toEqual({ _id: 1 });
    });
  });

  describe('when the index is compound', () => {
    it('rejects only a repeated pair and reports both fields', async () => {
      const seats = mongo.db().collection('seats');
      await seats.createIndex({ row: 1, seat: 1 }, { unique: true });
      await seats.insertMany([{ row: 'A', seat: 1 }, { row: 'A', seat: 2 }, { row: 'B', seat: 1 }]);

      const error = await failure(seats.insertOne({ row: 'A', seat: 2 }));

      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ row: 1, seat: 1 });
      expect(error.keyValue).toEqual({ row: 'A', seat: 2 });
      expect(error.errmsg).toMatch(/index: row_1_seat_1 dup key: \{ row: "A", seat: 2 \}$/);
    });
  });

  describe('when the index is sparse', () => {
    it('lets many documents lack the field but not share it', async () => {
      const profiles = mongo.db().collection('profiles');
      await profiles.createIndex({ nickname: 1 }, { unique: true, sparse: true });
      await profiles.insertMany([{ name: 'a' }, { name: 'b' }, { nickname: 'neo' }]);

      const error = await failure(profiles.insertOne({ nickname: 'neo' }));

      expect(error.code).toBe(11000);
      expect(await profiles.countDocuments()).toBe(3);
    });

    it('treats two missing fields as duplicates when the index is not sparse', async () => {
      const accounts = mongo.db().collection('accounts');
      await accounts.createIndex({ handle: 1 }, { unique: true });
      await accounts.insertOne({ name: 'a' });

      const error = await failure(accounts.insertOne({ name: 'b' }));

      expect(error.code).toBe(11000);
      expect(error.keyValue).toEqual({ handle: null });
      expect(error.errmsg).toMatch(/dup key: \{ handle: null \}$/);
    });
  });

  describe('when the index has a partialFilterExpression', () => {
    it('enforces uniqueness only among the documents it covers', async () => {
      const orders = mongo.db().collection('orders');
      await orders.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
      await orders.insertMany([{ code: 'X', active: false }, { code: 'X', active: false }, { code: 'X', active: true }]);

      const error = await failure(orders.insertOne({ code: 'X', active: true }));

      expect(error.code).toBe(11000);
      expect(await orders.countDocuments({ code: 'X' })).toBe(3);
    });
  });

  describe('when an update, an upsert or findAndModify would collide', () => {
    it('refuses each one with 11000 and changes nothing', async () => {
      const members = mongo.db().collection('members');
      await members.createIndex({ email: 1 }, { unique: true });
      await members.insertMany([{ _id: new ObjectId(), email: 'one@x.io' }, { email: 'two@x.io' }]);

      const update = await failure(members.updateOne({ email: 'two@x.io' }, { $set: { email: 'one@x.io' } }));
      const upsert = await failure(members.updateOne({ name: 'new' }, { $set: { email: 'one@x.io' } }, { upsert: true }));
      const fam = await failure(members.findOneAndUpdate({ email: 'two@x.io' }, { $set: { email: 'one@x.io' } }));
      const famUpsert = await failure(members.findOneAndUpdate({ email: 'three@x.io' }, { $set: { email: 'one@x.io' } }, { upsert: true }));

      for (const error of [update, upsert, fam, famUpsert]) {
        expect(error.code).toBe(11000);
        expect(error.keyValue).toEqual({ email: 'one@x.io' });
      }
      expect(fam.codeName).toBe('DuplicateKey');
      expect(await members.find({}, { projection: { _id: 0 } }).sort({ email: 1 }).toArray()).toEqual([{ email: 'one@x.io' }, { email: 'two@x.io' }]);
    });

    it('lets a document keep its own unique value when other fields change', async () => {
      const staff = mongo.db().collection('staff');
      await staff.createIndex({ badge: 1 }, { unique: true });
      await staff.insertOne({ badge: 'B1', level: 1 });

      const result = await staff.updateOne({ badge: 'B1' }, { $set: { badge: 'B1', level: 2 } });

      expect(result.modifiedCount).toBe(1);
    });
  });

  describe('when a unique index is created over existing duplicates', () => {
    it('fails with 11000 and leaves no index behind', async () => {
      const dupes = mongo.db().collection('dupes');
      await dupes.insertMany([{ sku: 'S' }, { sku: 'S' }]);

      const error = await failure(dupes.createIndex({ sku: 1 }, { unique: true }));

      expect(error.code).toBe(11000);
      expect(error.errmsg).toMatch(/E11000 duplicate key error collection: .*dupes index: sku_1 dup key: \{ sku: "S" \}/);
      const names = (await dupes.listIndexes().toArray()).map((index) => index.name);
      expect(names).toEqual(['_id_']);
    });
  });
});

describe('unique indexes through mongoose', () => {
  const userSchema = new Schema({ email: { type: String, required: true, unique: true }, name: String });

  describe('when Model.create repeats a unique email', () => {
    it('rejects with a MongoServerError carrying code 11000 and keyValue', async () => {
      const connection = await mongo.mongoose();
      const User = connection.model('MUser', userSchema);
      await User.init();
      await User.create({ email: 'a@b.c', name: 'first' });

      const error = await failure(User.create({ email: 'a@b.c', name: 'second' }));

      expect(error.name).toBe('MongoServerError');
      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ email: 1 });
      expect(error.keyValue).toEqual({ email: 'a@b.c' });
      expect(error.errmsg).toBe(`E11000 duplicate key error collection: ${mongo.dbName}.musers index: email_1 dup key: { email: "a@b.c" }`);
    });
  });

  describe('when insertMany repeats a unique email', () => {
    it('rejects with code 11000 and a writeErrors entry, keeping the documents before it', async () => {
      const connection = await mongo.mongoose();
      const User = connection.model('BulkUser', userSchema);
      await User.init();

      const error = (await failure(User.insertMany([{ email: 'x@y.z' }, { email: 'x@y.z' }, { email: 'q@y.z' }]))) as MongoServerError & {
        writeErrors: Array<{ index: number; code: number }>;
      };

      expect(error.code).toBe(11000);
      expect(error.writeErrors.map((e) => [e.index, e.code])).toEqual([[1, 11000]]);
      expect(await User.countDocuments()).toBe(1);
    });
  });

  describe('when indexes are synced', () => {
    it('lists the schema indexes after Model.init() and syncIndexes()', async () => {
      const connection = await mongo.mongoose();
      const Product = connection.model('Product', new Schema({ sku: { type: String, unique: true }, tags: { type: [String], index: true } }));
      await Product.init();

      await Product.syncIndexes();

      const indexes = await Product.listIndexes();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'sku_1', 'tags_1']);
      expect(indexes.find((i) => i.name === 'sku_1')?.unique).toBe(true);
      expect(await Product.diffIndexes()).toEqual({ toDrop: [], toCreate: [] });
    });
  });
});
