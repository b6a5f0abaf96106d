import { describe, expect, it } from '@jest/globals';
import { Schema, Types } from 'mongoose';
import { useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();

const authorSchema = new Schema({ name: { type: String, required: true }, email: { type: String, unique: true } }, { timestamps: true });
const postSchema = new Schema({
  title: String,
  author: { type: Schema.Types.ObjectId, ref: 'Author' },
  tags: [String],
  views: { type: Number, default: 0 },
  comments: [{ by: String, text: String }],
});

describe('mongoose against the engine', () => {
  it('creates, reads, populates, updates and deletes documents', async () => {
    const connection = await mongo.mongoose();
    const Author = connection.model('Author', authorSchema);
    const Post = connection.model('Post', postSchema);
    await Promise.all([Author.init(), Post.init()]);

    const ada = await Author.create({ name: 'Ada', email: 'ada@x.io' });
    await Post.create([
      { title: 'one', author: ada._id, tags: ['a'] },
      { title: 'two', author: ada._id, tags: ['a', 'b'] },
    ]);
    await Post.updateOne({ title: 'one' }, { $inc: { views: 3 }, $push: { comments: { by: 'bob', text: 'hi' } } });
    const populated = await Post.find({ tags: 'a' }).sort({ title: 1 }).populate('author').lean();
    const counted = await Post.countDocuments({ tags: 'b' });
    const distinctTags = await Post.distinct('tags');
    await Post.deleteOne({ title: 'two' });

    expect(populated.map((p) => [p.title, (p.author as unknown as { name: string }).name, p.views])).toEqual([
      ['one', 'Ada', 3],
      ['two', 'Ada', 0],
    ]);
    expect(populated[0]?.comments[0]?.text).toBe('hi');
    expect(counted).toBe(1);
    expect(distinctTags.sort()).toEqual(['a', 'b']);
    expect(await Post.estimatedDocumentCount()).toBe(1);
    expect(ada.createdAt).toBeInstanceOf(Date);
  });

  it('upserts with findOneAndUpdate, applying schema defaults on insert', async () => {
    const connection = await mongo.mongoose();
    const Counter = connection.model('Counter', new Schema({ key: { type: String, unique: true }, seq: { type: Number, default: 0 }, label: { type: String, default: 'n/a' } }));
    await Counter.init();

    const first = await Counter.findOneAndUpdate({ key: 'orders' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
    const second = await Counter.findOneAndUpdate({ key: 'orders' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });

    expect(first?.seq).toBe(1);
    expect(first?.label).toBe('n/a');
    expect(second?.seq).toBe(2);
    expect(second?._id.equals(first?._id as Types.ObjectId)).toBe(true);
    expect(await Counter.countDocuments()).toBe(1);
  });

  it('aggregates with $lookup and $group', async () => {
    const connection = await mongo.mongoose();
    const Post = connection.model('Post', postSchema);

    const rows = await Post.aggregate<{ _id: string; posts: number }>([
      { $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: 'writer' } },
      { $unwind: '$writer' },
      { $group: { _id: '$writer.name', posts: { $sum: 1 } } },
    ]);

    expect(rows).toEqual([{ _id: 'Ada', posts: 1 }]);
  });

  it('surfaces validation errors from mongoose before the server and cast errors on bad ids', async () => {
    const connection = await mongo.mongoose();
    const Author = connection.model('Author', authorSchema);

    await expect(Author.create({ email: 'no-name@x.io' })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(Author.findById('not-an-id')).rejects.toMatchObject({ name: 'CastError' });
  });
});
