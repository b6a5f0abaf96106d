import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();
interface Person {
  _id: number;
  name: string;
  code?: string;
}
const people = () => mongo.db().collection<Person>('people');
const names = (docs: Document[]) => docs.map((doc) => doc.name as string);
const caseInsensitive = { locale: 'en', strength: 2 };
const baseLetters = { locale: 'fr', strength: 1 };

beforeEach(async () => {
  await people().drop().catch(() => undefined);
  await people().insertMany([
    { _id: 1, name: 'ann', code: 'item10' },
    { _id: 2, name: 'Ann', code: 'item9' },
    { _id: 3, name: 'Ánn', code: 'item100' },
    { _id: 4, name: 'bob', code: 'Item2' },
    { _id: 5, name: 'Zoe' },
  ]);
});

describe('collation on a read', () => {
  it('matches equality and $in by the strength asked for (2: case, 1: case and accents)', async () => {
    expect(await people().countDocuments({ name: 'ANN' }, { collation: caseInsensitive })).toBe(2);
    expect(await people().countDocuments({ name: 'ANN' }, { collation: baseLetters })).toBe(3);
    expect(await people().countDocuments({ name: { $in: ['BOB', 'zoe'] } }, { collation: caseInsensitive })).toBe(2);
    expect(await people().countDocuments({ name: { $ne: 'ann' } }, { collation: caseInsensitive })).toBe(3);
    expect(await people().countDocuments({ name: 'ANN' })).toBe(0);
  });

  it('compares ranges and sorts in the locale\'s order, not by code unit', async () => {
    const byCodeUnit = await people().find({}, { projection: { name: 1 } }).sort({ name: 1 }).toArray();
    const byLocale = await people().find({ name: { $lt: 'b' } }, { collation: { locale: 'en' } }).sort({ name: 1, _id: 1 }).toArray();

    expect(names(byCodeUnit)).toEqual(['Ann', 'Zoe', 'ann', 'bob', 'Ánn']);
    expect(names(byLocale)).toEqual(['ann', 'Ann', 'Ánn']);
  });

  it('orders numbers inside strings with numericOrdering', async () => {
    const codes = await people().find({ code: { $exists: true } }).sort({ code: 1 }).collation({ locale: 'en', numericOrdering: true, strength: 2 }).toArray();

    expect(codes.map((doc) => doc.code)).toEqual(['Item2', 'item9', 'item10', 'item100']);
  });

  it('applies to aggregate, distinct, update and delete', async () => {
    const grouped = await people().aggregate([{ $match: { name: 'ann' } }, { $sort: { _id: 1 } }], { collation: caseInsensitive }).toArray();
    const distinct = await people().distinct('name', {}, { collation: caseInsensitive });
    const updated = await people().updateMany({ name: 'ANN' }, { $set: { seen: true } }, { collation: baseLetters });
    const deleted = await people().deleteOne({ name: 'ZOE' }, { collation: caseInsensitive });

    expect(grouped.map((doc) => doc._id)).toEqual([1, 2]);
    expect(distinct).toHaveLength(4);
    expect(updated.modifiedCount).toBe(3);
    expect(deleted.deletedCount).toBe(1);
  });

  it('answers BadValue for an unknown locale and leaves the data alone', async () => {
    const error = await failure(people().deleteMany({ name: 'ann' }, { collation: { locale: 'no_such_locale_xx' } }));

    expect(error.code).toBe(2);
    expect(await people().countDocuments({})).toBe(5);
  });
});

describe('a unique index with a collation', () => {
  it('refuses a value equal under the collation, with 11000', async () => {
    await people().deleteMany({ _id: { $in: [2, 3] } });
    await people().createIndex({ name: 1 }, { unique: true, collation: caseInsensitive });

    const error = await failure(people().insertOne({ _id: 9, name: 'BOB' }));
    await people().insertOne({ _id: 10, name: 'bób' });

    expect(error.code).toBe(11000);
    expect(await people().countDocuments({ name: 'bob' }, { collation: caseInsensitive })).toBe(1);
  });
});

describe('a collection default collation (create)', () => {
  beforeEach(async () => {
    await people().drop();
    await mongo.db().createCollection('people', { collation: caseInsensitive });
    await people().insertMany([{ _id: 1, name: 'ann' }, { _id: 2, name: 'ANN' }, { _id: 3, name: 'bob' }]);
  });

  it('is listed, used by reads without a collation, and overridden by { locale: "simple" }', async () => {
    const [info] = await mongo.db().listCollections({ name: 'people' }, { nameOnly: false }).toArray();

    expect(info?.options?.collation).toMatchObject({ locale: 'en', strength: 2 });
    expect(await people().countDocuments({ name: 'Ann' })).toBe(2);
    expect(await people().countDocuments({ name: 'Ann' }, { collation: { locale: 'simple' } })).toBe(0);
  });

  it('is inherited by an index created without one', async () => {
    await people().createIndex({ name: 1 }, { name: 'by_name' });
    await people().createIndex({ _id: 1, name: 1 }, { name: 'binary', collation: { locale: 'simple' } });
    const indexes = await people().listIndexes().toArray();

    expect(indexes.find((index) => index.name === 'by_name')?.collation).toMatchObject({ locale: 'en', strength: 2 });
    expect(indexes.find((index) => index.name === 'binary')?.collation).toBeUndefined();
  });
});
