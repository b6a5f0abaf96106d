import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

/** The innermost stage of a plan tree (what actually reads: COLLSCAN, IXSCAN, IDHACK). */
function leaf(stage: Document): Document {
  let current = stage;
  while (current.inputStage) current = current.inputStage as Document;
  return current;
}

/** Every stage name from the root down. */
function stages(stage: Document): string[] {
  const names: string[] = [];
  for (let current: Document | undefined = stage; current; current = current.inputStage as Document | undefined) names.push(current.stage as string);
  return names;
}

const products = () => mongo.db().collection('products');

beforeEach(async () => {
  await products().drop().catch(() => undefined);
  await products().insertMany(
    Array.from({ length: 200 }, (_, i) => ({ sku: `sku-${i}`, tag: ['red', 'green', 'blue', 'black'][i % 4], price: i })),
  );
  await products().createIndex({ sku: 1 }, { unique: true });
  await products().createIndex({ tag: 1, price: -1 });
});

describe('explain of a find', () => {
  describe('when no index serves the filter', () => {
    it('reports a COLLSCAN that examined every document', async () => {
      const plan = await products().find({ price: 7 }).explain('executionStats');

      expect(leaf(plan.queryPlanner.winningPlan).stage).toBe('COLLSCAN');
      expect(plan.executionStats.nReturned).toBe(1);
      expect(plan.executionStats.totalDocsExamined).toBe(200);
      expect(plan.executionStats.totalKeysExamined).toBe(0);
    });
  });

  describe('when an equality on an index prefix serves it', () => {
    it('reports FETCH over IXSCAN with the index name and key pattern, and only the keys it read', async () => {
      const plan = await products().find({ tag: 'red' }).explain('executionStats');

      const ixscan = leaf(plan.queryPlanner.winningPlan);
      expect(stages(plan.queryPlanner.winningPlan)).toEqual(['FETCH', 'IXSCAN']);
      expect(ixscan).toMatchObject({ indexName: 'tag_1_price_-1', keyPattern: { tag: 1, price: -1 }, isUnique: false });
      expect(plan.executionStats.nReturned).toBe(50);
      expect(plan.executionStats.totalKeysExamined).toBe(50);
      expect(plan.executionStats.totalDocsExamined).toBe(50);
    });

    it('names the unique index for an exact lookup, examining one key and one document', async () => {
      const plan = await products().find({ sku: 'sku-42' }).explain('executionStats');

      expect(leaf(plan.queryPlanner.winningPlan)).toMatchObject({ stage: 'IXSCAN', indexName: 'sku_1', isUnique: true });
      expect(plan.executionStats).toMatchObject({ nReturned: 1, totalKeysExamined: 1, totalDocsExamined: 1 });
    });
  });

  it('answers an _id equality from the _id index (IDHACK)', async () => {
    const one = await products().findOne({ sku: 'sku-3' });

    const plan = await products().find({ _id: one!._id }).explain('executionStats');

    expect(plan.queryPlanner.winningPlan.stage).toBe('IDHACK');
    expect(plan.executionStats).toMatchObject({ nReturned: 1, totalDocsExamined: 1 });
  });

  it('shows SORT and LIMIT above the scan, and returns only the limit', async () => {
    const plan = await products().find({ tag: 'blue' }).sort({ price: 1 }).limit(5).explain('executionStats');

    expect(stages(plan.queryPlanner.winningPlan)).toEqual(['LIMIT', 'SORT', 'FETCH', 'IXSCAN']);
    expect(plan.executionStats.nReturned).toBe(5);
  });

  it('stops at queryPlanner when asked for that verbosity', async () => {
    const plan = await products().find({ tag: 'red' }).explain('queryPlanner');

    expect(plan.queryPlanner.namespace).toBe(`${mongo.dbName}.products`);
    expect(plan.executionStats).toBeUndefined();
  });
});

describe('hint', () => {
  it('forces a collection scan with { $natural: 1 }, with the same result', async () => {
    const hinted = await products().find({ sku: 'sku-9' }).hint({ $natural: 1 }).explain('executionStats');
    const docs = await products().find({ sku: 'sku-9' }).hint({ $natural: 1 }).toArray();

    expect(leaf(hinted.queryPlanner.winningPlan).stage).toBe('COLLSCAN');
    expect(hinted.executionStats.totalDocsExamined).toBe(200);
    expect(docs.map((d) => d.sku)).toEqual(['sku-9']);
  });

  it('scans a hinted index whole when the filter gives it no equality to use', async () => {
    const plan = await products().find({ price: { $gte: 190 } }).hint('sku_1').explain('executionStats');
    const docs = await products().find({ price: { $gte: 190 } }).hint({ sku: 1 }).toArray();

    expect(leaf(plan.queryPlanner.winningPlan)).toMatchObject({ stage: 'IXSCAN', indexName: 'sku_1' });
    expect(plan.executionStats.totalKeysExamined).toBe(200);
    expect(docs).toHaveLength(10);
  });

  it('returns a whole hinted index scan in the index\'s key order', async () => {
    const docs = await products().aggregate([{ $match: { price: { $in: [1, 2, 5, 6] } } }], { hint: { tag: 1, price: -1 } }).toArray();

    // black < blue < green < red, then price descending within a tag.
    expect(docs.map((d) => [d.tag, d.price])).toEqual([['blue', 6], ['blue', 2], ['green', 5], ['green', 1]]);
  });

  it('refuses an index that does not exist with BadValue (2), in find, count, update and delete', async () => {
    const errors = await Promise.all([
      failure(products().find({ tag: 'red' }).hint('nope_1').toArray()),
      failure(products().countDocuments({ tag: 'red' }, { hint: { nope: 1 } })),
      failure(products().updateOne({ tag: 'red' }, { $set: { x: 1 } }, { hint: 'nope_1' })),
      failure(products().deleteMany({ tag: 'red' }, { hint: 'nope_1' })),
    ]);

    expect(errors.map((e) => e.code)).toEqual([2, 2, 2, 2]);
    expect(await products().countDocuments({ tag: 'red' })).toBe(50);
    expect(await products().countDocuments({ x: 1 })).toBe(0);
  });
});

describe('explain of other commands', () => {
  it('plans an update and a delete without applying them', async () => {
    const db = mongo.db();

    const update = await db.command({ explain: { update: 'products', updates: [{ q: { sku: 'sku-1' }, u: { $set: { price: 0 } } }] }, verbosity: 'executionStats' });
    const remove = await db.command({ explain: { delete: 'products', deletes: [{ q: { tag: 'red' }, limit: 0 }] }, verbosity: 'executionStats' });

    expect(stages(update.queryPlanner.winningPlan)).toEqual(['UPDATE', 'LIMIT', 'FETCH', 'IXSCAN']);
    expect(update.executionStats.executionStages.nWouldModify).toBe(1);
    expect(stages(remove.queryPlanner.winningPlan)).toEqual(['DELETE', 'FETCH', 'IXSCAN']);
    expect(remove.executionStats.executionStages.nWouldModify).toBe(50);
    expect(await products().countDocuments({ tag: 'red' })).toBe(50);
    expect((await products().findOne({ sku: 'sku-1' }))?.price).toBe(1);
  });

  it('plans a count with a filter, and an unfiltered count from the record count', async () => {
    const db = mongo.db();

    const filtered = await db.command({ explain: { count: 'products', query: { tag: 'green' } }, verbosity: 'executionStats' });
    const all = await db.command({ explain: { count: 'products' }, verbosity: 'executionStats' });

    expect(stages(filtered.queryPlanner.winningPlan)).toEqual(['COUNT', 'FETCH', 'IXSCAN']);
    expect(filtered.executionStats.executionStages.nCounted).toBe(50);
    expect(stages(all.queryPlanner.winningPlan)).toEqual(['COUNT', 'RECORD_STORE_FAST_COUNT']);
  });

  it('explains an aggregate: the leading $match is the query, the other stages follow it', async () => {
    const plan = await products()
      .aggregate([{ $match: { tag: 'black' } }, { $group: { _id: null, total: { $sum: '$price' } } }])
      .explain('executionStats');

    const cursor = (plan.stages as Document[])[0]!.$cursor as Document;
    expect(leaf(cursor.queryPlanner.winningPlan)).toMatchObject({ stage: 'IXSCAN', indexName: 'tag_1_price_-1' });
    expect(cursor.executionStats.nReturned).toBe(50);
    expect(Object.keys((plan.stages as Document[])[1]!)).toEqual(['$group']);
  });

  it('explains through mongoose, as a learner would ask it', async () => {
    const connection = await mongo.mongoose();
    const Product = connection.model('Product', new (await import('mongoose')).Schema({ sku: String, tag: String, price: Number }), 'products');

    const plan = (await Product.find({ sku: 'sku-5' }).explain('executionStats')) as unknown as Document;

    expect(leaf(plan.queryPlanner.winningPlan)).toMatchObject({ stage: 'IXSCAN', indexName: 'sku_1' });
  });
});
