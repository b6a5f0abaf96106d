import { describe, expect, it } from '@jest/globals';
import { MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

describe('positional projection ("arr.$": 1)', () => {
  it('returns only the first array element the query matched', async () => {
    const posts = mongo.db().collection('posts');
    await posts.insertMany([
      { _id: 1 as never, title: 'a', tags: [{ tag: 'ham' }, { tag: 'eggs' }, { tag: 'eggs', n: 2 }], scores: [70, 85, 90] },
      { _id: 2 as never, title: 'b', tags: [{ tag: 'spam' }], scores: [95] },
    ]);

    expect(await posts.find({ 'tags.tag': 'eggs' }, { projection: { 'tags.$': 1 } }).toArray()).toEqual([{ _id: 1, tags: [{ tag: 'eggs' }] }]);
    expect(await posts.find({ scores: { $gt: 80 } }, { projection: { title: 1, 'scores.$': 1, _id: 0 } }).sort({ title: 1 }).toArray()).toEqual([
      { title: 'a', scores: [85] },
      { title: 'b', scores: [95] },
    ]);
    // Every clause about the array narrows the element, inside $and too.
    expect(await posts.findOne({ $and: [{ scores: { $gt: 80 } }, { scores: { $gt: 86 } }], title: 'a' }, { projection: { 'scores.$': 1, _id: 0 } })).toEqual({ scores: [90] });
  });

  it('works on a nested array and in findOneAndUpdate', async () => {
    const orders = mongo.db().collection('orders');
    await orders.insertOne({ _id: 1 as never, order: { no: 7, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }] } });

    expect(await orders.findOne({ 'order.items.sku': 'b' }, { projection: { 'order.items.$': 1, _id: 0 } })).toEqual({ order: { items: [{ sku: 'b', qty: 2 }] } });
    const after = await orders.findOneAndUpdate({ 'order.items.sku': 'a' }, { $inc: { 'order.items.$.qty': 5 } }, { projection: { 'order.items.$': 1 }, returnDocument: 'after' });
    expect(after).toEqual({ _id: 1, order: { items: [{ sku: 'a', qty: 6 }] } });
  });

  it('fails the find when the query says nothing about the array (51246)', async () => {
    const lists = mongo.db().collection('lists');
    await lists.insertOne({ name: 'x', items: [1, 2] });

    const error = await failure(lists.find({ name: 'x' }, { projection: { 'items.$': 1 } }).toArray());

    expect(error.code).toBe(51246);
    expect(error.message).toContain("positional operator '.$' couldn't find a matching element in the array");
  });

  it('refuses two positional fields, a positional field among exclusions, and `$` before the end', async () => {
    const lists = mongo.db().collection('lists');
    await lists.insertOne({ items: [1], other: [2], name: 'y' });

    const attempts = [
      { 'items.$': 1, 'other.$': 1 },
      { 'items.$': 1, name: 0 },
      { 'items.$.x': 1 },
    ].map((projection) => failure(lists.find({ items: 1, other: 2 }, { projection }).toArray()));

    for (const error of await Promise.all(attempts)) expect(error).toBeInstanceOf(MongoServerError);
  });

  it('is what mongoose sends for select({ "tags.$": 1 })', async () => {
    const conn = await mongo.mongoose();
    const Post = conn.model('Post', new Schema({ title: String, tags: [{ tag: String }] }));
    await Post.create({ title: 'p', tags: [{ tag: 'ham' }, { tag: 'eggs' }] });

    const post = await Post.findOne({ 'tags.tag': 'eggs' }, { 'tags.$': 1 }).lean();

    expect(post).not.toHaveProperty('title');
    expect(post?.tags.map((t) => t.tag)).toEqual(['eggs']);
  });
});
