/**
 * aggregate, count and distinct. A leading `$match` is answered by the planner
 * (index or `_id` lookup, comparable views); the remaining stages run in mingo's
 * Aggregator on the stored documents. `$out` is done here (mingo's writes to an
 * in-memory array would not reach our collections); stages neither of us can do
 * answer an error naming them.
 */
import { type Document, Long } from 'bson';
import { Aggregator } from 'mingo';
import { MongoCommandError } from '../errors';
import { parseCollation } from '../query/collation';
import { withCollatedOperators } from '../query/collated-operators';
import { hasText } from '../query/filter';
import { hasNear } from '../query/geo-near';
import { mingoOptions, withMingo } from '../query/mingo-options';
import { bindServerScripts } from '../query/server-script';
import { stagesReadingScore, withoutScore, withScore } from '../query/text-score';
import { canonicalKey } from '../storage/keys';
import { isPlainObject, valuesAtPath } from '../storage/values';
import { type CommandContext, type CommandHandler, collectionName, collationFor, cursorReply, existing, optionalDocument, optionalNumber } from './context';
import { explainAggregate } from './explain';
import { runGeoNear } from './geo-near';
import { allDocuments, matchDocuments } from './matching';
import { insertDocument } from './writes';

const STAGES = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$count', '$densify', '$documents', '$facet', '$fill', '$graphLookup',
  '$geoNear', '$group', '$limit', '$lookup', '$match', '$out', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample',
  '$set', '$setWindowFields', '$skip', '$sort', '$sortByCount', '$unionWith', '$unset', '$unwind',
]);

function stageName(stage: unknown): string {
  const name = stage && typeof stage === 'object' ? Object.keys(stage)[0] : undefined;
  if (name === undefined || Object.keys(stage as object).length !== 1) {
    throw new MongoCommandError('Location40324', `A pipeline stage specification object must contain exactly one field, got ${JSON.stringify(stage)}`);
  }
  return name;
}

function checkPipeline(pipeline: unknown): asserts pipeline is Document[] {
  if (!Array.isArray(pipeline)) throw new MongoCommandError('TypeMismatch', `'pipeline' option must be specified as an array, got ${JSON.stringify(pipeline)}`);
  pipeline.forEach((stage, i) => {
    const name = stageName(stage);
    if (name === '$merge') throw new MongoCommandError('CommandNotSupported', '$merge is not supported by the embedded MongoDB engine; use $out or a real mongod via MONGO_URL');
    if (!STAGES.has(name)) {
      if (!name.startsWith('$')) throw new MongoCommandError('Location40324', `Unrecognized pipeline stage name: '${name}'`);
      throw new MongoCommandError('Location40324', `Unrecognized pipeline stage name: '${name}' (or not supported by the embedded MongoDB engine)`);
    }
    if (name === '$match' && i > 0 && hasText(stage.$match as Document)) throw new MongoCommandError('BadValue', '$match with $text is only allowed as the first pipeline stage');
    if (name === '$geoNear' && i > 0) throw new MongoCommandError('Location40602', '$geoNear is only valid as the first stage in a pipeline.');
    if (name === '$match' && hasNear(stage.$match as Document)) throw new MongoCommandError('BadValue', '$geoNear, $near, and $nearSphere are not allowed in this context');
    if (name === '$out' && i !== pipeline.length - 1) throw new MongoCommandError('Location40324', '$out can only be the final stage in the pipeline');
  });
}

function collectionResolver(ctx: CommandContext): (name: string) => Document[] {
  return (name) => allDocuments(ctx.engine.collection(ctx.db, name), ctx.session.txn);
}

export const aggregate: CommandHandler = (ctx) => {
  const { body } = ctx;
  if (body.explain === true) return explainAggregate(ctx);
  const pipeline = body.pipeline;
  checkPipeline(pipeline);
  const onCollection = typeof body.aggregate === 'string';
  const name = onCollection ? collectionName(ctx) : '$cmd.aggregate';
  const collation = onCollection ? collationFor(body, existing(ctx, name)) : parseCollation(body.collation);
  let stages = collation ? pipeline.map((stage) => (isPlainObject(stage.$match) ? { $match: withCollatedOperators(stage.$match) } : stage)) : pipeline;
  let input: Document[];
  if (!onCollection) {
    input = [];
  } else if (stages[0] && '$geoNear' in stages[0]) {
    input = runGeoNear(existing(ctx, name), stages[0].$geoNear, collation, ctx.session.txn);
    stages = stages.slice(1);
  } else if (stages[0] && '$match' in stages[0]) {
    const match = pipeline[0]?.$match as Document | undefined;
    const scores = new Map<Document, number>();
    input = matchDocuments(existing(ctx, name), match, { hint: body.hint, scores, collation }, ctx.session.txn);
    stages = stages.slice(1);
    if (hasText(match)) {
      input = input.map((doc) => withScore(doc, scores.get(doc)));
      stages = stagesReadingScore(stages);
    }
  } else if (body.hint !== undefined) {
    input = matchDocuments(existing(ctx, name), {}, { hint: body.hint, collation }, ctx.session.txn);
  } else {
    input = allDocuments(existing(ctx, name), ctx.session.txn);
  }
  const last = stages[stages.length - 1];
  const out = last && '$out' in last ? last.$out : undefined;
  if (out !== undefined) stages = stages.slice(0, -1);
  const results = (
    stages.length === 0
      ? input
      : withMingo('aggregation failed', () => {
          const bound = bindServerScripts(stages);
          return new Aggregator(bound.spec, mingoOptions({ collectionResolver: collectionResolver(ctx), cloneInput: true, scriptEnabled: bound.scripts, collation })).run<Document>(input);
        })
  ).map(withoutScore);
  if (out !== undefined) {
    writeOut(ctx, out, results);
    // A cursor id is always a 64-bit integer on the wire; the driver refuses an int32 one.
    return cursorReply({ id: Long.ZERO, ns: `${ctx.db}.${name}`, docs: [] }, 'firstBatch');
  }
  const cursor = optionalDocument(body, 'cursor') ?? {};
  const batch = ctx.cursors.open(`${ctx.db}.${name}`, results, optionalNumber(cursor, 'batchSize'), ctx.session.key);
  return cursorReply(batch, 'firstBatch');
};

function writeOut(ctx: CommandContext, target: unknown, docs: Document[]): void {
  const spec = typeof target === 'string' ? { db: ctx.db, coll: target } : (target as { db?: string; coll?: string });
  if (typeof spec.coll !== 'string') throw new MongoCommandError('BadValue', `$out needs a collection name, got ${JSON.stringify(target)}`);
  const dbName = spec.db ?? ctx.db;
  const previous = ctx.engine.collection(dbName, spec.coll);
  ctx.engine.dropCollection(dbName, spec.coll);
  const collection = ctx.engine.ensureCollection(dbName, spec.coll, undefined, previous?.options);
  for (const index of previous?.indexes ?? []) collection.addIndex(index.spec);
  for (const doc of docs) insertDocument(ctx, collection, doc);
}

export const count: CommandHandler = (ctx) => {
  const { body } = ctx;
  const collection = existing(ctx);
  const collation = collationFor(body, collection);
  const query = optionalDocument(body, 'query');
  const skip = optionalNumber(body, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(body, 'limit') ?? 0);
  if ((!query || Object.keys(query).length === 0) && body.hint === undefined && !collation) {
    const size = ctx.session.txn ? allDocuments(collection, ctx.session.txn).length : (collection?.docs.size ?? 0);
    const total = Math.max(0, size - skip);
    return { n: limit > 0 ? Math.min(limit, total) : total, ok: 1 };
  }
  return { n: matchDocuments(collection, query, { skip, limit, hint: body.hint, collation }, ctx.session.txn).length, ok: 1 };
};

export const distinct: CommandHandler = (ctx) => {
  const { body } = ctx;
  const collation = collationFor(body, existing(ctx));
  const key = body.key;
  if (typeof key !== 'string') throw new MongoCommandError('TypeMismatch', `distinct needs "key" as a string, got ${JSON.stringify(key)}`);
  const seen = new Map<string, unknown>();
  for (const doc of matchDocuments(existing(ctx), optionalDocument(body, 'query'), { hint: body.hint, collation }, ctx.session.txn)) {
    for (const value of valuesAtPath(doc, key)) {
      if (value === undefined) continue;
      // Under a collation, strings it holds equal are one distinct value, as on mongod.
      const k = canonicalKey(collation && typeof value === 'string' ? collation.fold(value) : value);
      if (!seen.has(k)) seen.set(k, value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};
