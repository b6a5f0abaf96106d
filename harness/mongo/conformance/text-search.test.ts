import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();
interface Article {
  _id: number;
  title: string;
  body: string;
  language?: string;
}
const articles = () => mongo.db().collection<Article>('articles');
const ids = (docs: Document[]) => docs.map((doc) => doc._id as number);

beforeEach(async () => {
  await articles().drop().catch(() => undefined);
  await articles().insertMany([
    { _id: 1, title: 'Running shoes', body: 'The best shoes for runners who run every day' },
    { _id: 2, title: 'Coffee', body: 'Brewing coffee: the café guide' },
    { _id: 3, title: 'Marathon', body: 'She ran a marathon; running is her life' },
    { _id: 4, title: 'Café culture', body: 'Paris cafés and their coffee' },
    { _id: 5, title: 'Zapatos', body: 'Los mejores zapatos para correr', language: 'spanish' },
  ]);
});

describe('$text without a text index', () => {
  it('answers IndexNotFound (27)', async () => {
    const error = await failure(articles().find({ $text: { $search: 'coffee' } }).toArray());

    expect(error.code).toBe(27);
    expect(error.message).toMatch(/text index required/);
  });
});

describe('a text index', () => {
  beforeEach(async () => {
    await articles().createIndex({ title: 'text', body: 'text' }, { weights: { title: 10 } });
  });

  it('is listed as mongod stores it', async () => {
    const text = (await articles().listIndexes().toArray()).find((index) => index.name === 'title_text_body_text');

    expect(text).toMatchObject({ key: { _fts: 'text', _ftsx: 1 }, weights: { body: 1, title: 10 }, default_language: 'english', language_override: 'language', textIndexVersion: 3 });
  });

  it('may hold other fields, listed in place around _fts and _ftsx', async () => {
    await articles().dropIndexes();
    await articles().createIndex({ title: 'text', language: 1 });
    const text = (await articles().listIndexes().toArray()).find((index) => index.name === 'title_text_language_1');

    expect(text?.key).toEqual({ _fts: 'text', _ftsx: 1, language: 1 });
    expect(ids(await articles().find({ $text: { $search: 'coffee' } }).toArray())).toEqual([2]);
  });

  it('is the only one a collection may have', async () => {
    const error = await failure(articles().createIndex({ body: 'text' }, { name: 'body_only' }));

    expect(error.code).toBe(85);
    expect((await articles().listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'title_text_body_text']);
  });

  it('matches stemmed words (run, running, runners) and leaves out stop words', async () => {
    expect(ids(await articles().find({ $text: { $search: 'run' } }).sort({ _id: 1 }).toArray())).toEqual([1, 3]);
    expect(await articles().countDocuments({ $text: { $search: 'the' } })).toBe(0);
  });

  it('matches any of the words, and every "phrase"', async () => {
    expect(ids(await articles().find({ $text: { $search: 'marathon coffee' } }).sort({ _id: 1 }).toArray())).toEqual([2, 3, 4]);
    expect(ids(await articles().find({ $text: { $search: 'coffee "paris cafés"' } }).toArray())).toEqual([4]);
  });

  it('leaves out documents holding a -negated word or phrase', async () => {
    expect(ids(await articles().find({ $text: { $search: 'coffee -brewing' } }).toArray())).toEqual([4]);
    expect(ids(await articles().find({ $text: { $search: 'coffee -"café guide"' } }).toArray())).toEqual([4]);
    expect(await articles().countDocuments({ $text: { $search: '-coffee' } })).toBe(0);
  });

  it('ignores case and diacritics unless $caseSensitive / $diacriticSensitive', async () => {
    expect(ids(await articles().find({ $text: { $search: 'CAFE' } }).sort({ _id: 1 }).toArray())).toEqual([2, 4]);
    expect(ids(await articles().find({ $text: { $search: 'Café', $caseSensitive: true } }).toArray())).toEqual([4]);
    expect(ids(await articles().find({ $text: { $search: 'cafe', $diacriticSensitive: true } }).toArray())).toEqual([]);
  });

  it('projects and sorts by { $meta: "textScore" }, weights counting', async () => {
    const found = await articles()
      .find<Document>({ $text: { $search: 'coffee' } }, { projection: { _id: 1, score: { $meta: 'textScore' } } })
      .sort({ score: { $meta: 'textScore' } })
      .toArray();

    // "Coffee" as the whole title (weight 10): 10 × 1 × (0.5 + 0.5 × 1/1), plus 1 × (0.5 + 0.5 × 1/4) for
    // the body's four words (brewing, coffee, café, guide). The other: one of three body words, 0.5 + 0.5 × 1/3.
    expect(found.map((doc) => Object.keys(doc))).toEqual([['_id', 'score'], ['_id', 'score']]);
    expect(ids(found)).toEqual([2, 4]);
    expect(found[0]?.score).toBeCloseTo(10.625, 6);
    expect(found[1]?.score).toBeCloseTo(2 / 3, 6);
  });

  it('stems each document in its language field and the query in $language', async () => {
    expect(ids(await articles().find({ $text: { $search: 'zapato', $language: 'es' } }).toArray())).toEqual([5]);
    const error = await failure(articles().insertOne({ _id: 6, title: 'x', body: 'y', language: 'klingon' }));

    expect(error.code).toBe(mongo.engine === 'embedded' ? 2 : 17262);
  });

  it('scores in an aggregation whose first stage is the $text $match', async () => {
    const results = await articles()
      .aggregate([{ $match: { $text: { $search: 'coffee' } } }, { $sort: { score: { $meta: 'textScore' } } }, { $project: { score: { $meta: 'textScore' } } }])
      .toArray();

    expect(ids(results)).toEqual([2, 4]);
    expect(results[0]?.score).toBeCloseTo(10.625, 6);
    expect(Object.keys(results[0] ?? {}).sort()).toEqual(['_id', 'score']);
  });

  it('refuses { $meta: "textScore" } without a $text query', async () => {
    const error = await failure(articles().find({}, { projection: { score: { $meta: 'textScore' } } }).toArray());

    expect(error.code).toBe(mongo.engine === 'embedded' ? 2 : 40218);
  });
});
