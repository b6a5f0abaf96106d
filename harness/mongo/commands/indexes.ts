/** createIndexes, listIndexes, dropIndexes. */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { parseCollation } from '../query/collation';
import { checkSchema } from '../query/json-schema';
import { canonicalKey } from '../storage/keys';
import { checkKeyPattern, defaultIndexName, type IndexSpec } from '../storage/index';
import { geoIndexSpec, isGeoIndex } from '../storage/geo-index';
import { isTextIndex, requestsText, textIndexSpec } from '../storage/text-index';
import { isPlainObject } from '../storage/values';
import { type CommandHandler, collectionName, cursorReply, existing } from './context';

/** Options mongod does not store, or that only mean something to it (the build is always immediate). */
const DROPPED_OPTIONS = new Set(['ns', 'v']);

function comparable(spec: IndexSpec): string {
  const { name: _n, v: _v, background: _b, ...rest } = spec;
  return canonicalKey(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}

export const createIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const requested = ctx.body.indexes;
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new MongoCommandError('BadValue', `createIndexes needs a non-empty "indexes" array, got ${JSON.stringify(requested)}`);
  }
  const specs: IndexSpec[] = requested.map((raw: unknown) => {
    if (!isPlainObject(raw)) throw new MongoCommandError('TypeMismatch', `index specs must be objects, got ${JSON.stringify(raw)}`);
    checkKeyPattern(raw.key);
    if (raw.partialFilterExpression !== undefined && !isPlainObject(raw.partialFilterExpression)) {
      throw new MongoCommandError('TypeMismatch', `partialFilterExpression must be an object, got ${JSON.stringify(raw.partialFilterExpression)}`);
    }
    if (raw.expireAfterSeconds !== undefined && (Number.isNaN(Number(raw.expireAfterSeconds)) || Number(raw.expireAfterSeconds) < 0)) {
      throw new MongoCommandError('InvalidOptions', `TTL index 'expireAfterSeconds' option must be a non-negative number, got ${JSON.stringify(raw.expireAfterSeconds)}`);
    }
    const spec: IndexSpec = { v: 2, key: raw.key, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key) };
    for (const [option, value] of Object.entries(raw)) {
      if (!DROPPED_OPTIONS.has(option) && option !== 'key' && option !== 'name') spec[option] = value;
    }
    if (spec.expireAfterSeconds !== undefined) spec.expireAfterSeconds = Number(spec.expireAfterSeconds);
    // An index without a collation of its own takes the collection's default, as on mongod; `simple` stores none.
    const collation = raw.collation === undefined ? parseCollation(existing(ctx, name)?.options.collation) : parseCollation(raw.collation);
    if (collation) spec.collation = collation.spec;
    else delete spec.collation;
    if (isGeoIndex(spec)) return geoIndexSpec(spec);
    return requestsText(raw.key) ? textIndexSpec(spec, typeof raw.name === 'string' ? raw.name : undefined) : spec;
  });
  const existed = existing(ctx, name) !== undefined;
  const collection = ctx.engine.ensureCollection(ctx.db, name, ctx.session.journal);
  const before = collection.indexSpecs().length;
  for (const spec of specs) {
    const current = collection.indexSpecs();
    const sameName = current.find((s) => s.name === spec.name);
    const sameKey = current.find((s) => canonicalKey(s.key) === canonicalKey(spec.key));
    if (sameName) {
      if (canonicalKey(sameName.key) !== canonicalKey(spec.key)) {
        throw new MongoCommandError('IndexKeySpecsConflict', `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`);
      }
      if (sameName.name !== '_id_' && comparable(sameName) !== comparable(spec)) {
        throw new MongoCommandError('IndexOptionsConflict', `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`);
      }
      continue;
    }
    const otherText = isTextIndex(spec) ? current.find((s) => isTextIndex(s)) : undefined;
    if (otherText) {
      throw new MongoCommandError('IndexOptionsConflict', `only one text index per collection allowed, found existing text index "${otherText.name}" (requested: ${JSON.stringify(spec)})`);
    }
    if (sameKey && comparable(sameKey) === comparable({ ...spec })) {
      throw new MongoCommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    }
    if (spec.partialFilterExpression) checkPartial(spec.partialFilterExpression);
    collection.addIndex(spec);
  }
  const after = collection.indexSpecs().length;
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically: !existed };
  if (before === after) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

function checkPartial(filter: Document): void {
  if (isPlainObject(filter.$jsonSchema)) checkSchema(filter.$jsonSchema);
}

export const listIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const collection = existing(ctx, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const batch = ctx.cursors.open(`${ctx.db}.${name}`, collection.indexSpecs(), undefined, ctx.session.key);
  return cursorReply(batch, 'firstBatch');
};

export const dropIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const collection = existing(ctx, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = collection.indexSpecs().length;
  const target = ctx.body.index;
  const names: string[] = [];
  if (target === '*') {
    names.push(...collection.indexes.map((index) => index.name));
  } else if (typeof target === 'string') {
    names.push(target);
  } else if (Array.isArray(target)) {
    names.push(...target.map(String));
  } else if (isPlainObject(target)) {
    const match = collection.indexSpecs().find((spec) => canonicalKey(spec.key) === canonicalKey(target));
    if (!match) throw new MongoCommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names.push(match.name);
  } else {
    throw new MongoCommandError('TypeMismatch', `dropIndexes "index" must be a string, array or key pattern, got ${JSON.stringify(target)}`);
  }
  for (const indexName of names) {
    if (indexName === '_id_') throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
    if (!collection.indexes.some((index) => index.name === indexName)) {
      throw new MongoCommandError('IndexNotFound', `index not found with name [${indexName}]`);
    }
  }
  for (const indexName of names) collection.dropIndex(indexName);
  return { nIndexesWas, ok: 1 };
};
