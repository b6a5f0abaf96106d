import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { useMongo, withDatabase } from './use-mongo';

const mongo = useMongo();

const Account = mongoose.model(
  'Account',
  new mongoose.Schema({ email: { type: String, required: true, unique: true } }),
);

describe('useMongo()', () => {
  it('connects mongoose to a database of this file only', async () => {
    expect(mongo.dbName).toMatch(/^kata_use-mongo_[0-9a-f]{8}$/);
    expect(mongo.uri).toContain(`/${mongo.dbName}`);
    expect(mongo.connection.readyState).toBe(1);
    expect(mongo.connection.db?.databaseName).toBe(mongo.dbName);
  });

  it('stores documents through models defined on the default connection...', async () => {
    await Account.init();

    await Account.create({ email: 'ada@example.com' });

    expect(await Account.countDocuments()).toBe(1);
  });

  it('...empties every collection before the next test but keeps its indexes', async () => {
    expect(await Account.countDocuments()).toBe(0);

    await Account.create({ email: 'ada@example.com' });
    const duplicate = Account.create({ email: 'ada@example.com' });

    await expect(duplicate).rejects.toMatchObject({ code: 11000, keyValue: { email: 'ada@example.com' } });
  });

  it('says which engine the run uses', () => {
    expect(['external', 'mongod', 'embedded']).toContain(process.env.KATA_MONGO_ENGINE);
  });
});

describe('withDatabase()', () => {
  it('replaces the path and keeps hosts and options, seed lists included', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/', 'a')).toBe('mongodb://127.0.0.1:27017/a');
    expect(withDatabase('mongodb://u:p@h1:1,h2:2/old?replicaSet=rs', 'b')).toBe('mongodb://u:p@h1:1,h2:2/b?replicaSet=rs');
    expect(withDatabase('mongodb://127.0.0.1:27017', 'c')).toBe('mongodb://127.0.0.1:27017/c');
  });

  it('refuses a string that is not a MongoDB URI, quoting it', () => {
    expect(() => withDatabase('http://example.com', 'x')).toThrow('"http://example.com"');
  });
});
