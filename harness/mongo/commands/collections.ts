/** create, drop, dropDatabase, listCollections, listDatabases, collMod, dbStats. */
import { BSON, type Document } from 'bson';
import { MongoCommandError } from '../errors';
import { parseCollation } from '../query/collation';
import { compileFilter } from '../query/filter';
import { checkSchema } from '../query/json-schema';
import type { Collection, CollectionOptions } from '../storage/collection';
import { ID_INDEX_SPEC } from '../storage/collection';
import { canonicalKey } from '../storage/keys';
import { isTimeseries, specialCreateOptions } from '../storage/special-collections';
import { isPlainObject } from '../storage/values';
import { type CommandHandler, collectionName, cursorReply, existing, optionalDocument } from './context';

const UNSUPPORTED_CREATE = ['viewOn', 'changeStreamPreAndPostImages', 'encryptedFields'];

function checkValidator(validator: Document | undefined): void {
  if (!validator) return;
  if (isPlainObject(validator.$jsonSchema)) checkSchema(validator.$jsonSchema);
  const { $jsonSchema: _schema, ...rest } = validator;
  if (Object.keys(rest).length > 0) compileFilter(rest);
}

function checkLevels(body: Document): void {
  if (body.validationLevel !== undefined && !['off', 'strict', 'moderate'].includes(String(body.validationLevel))) {
    throw new MongoCommandError('BadValue', `Enumeration value '${String(body.validationLevel)}' for field 'validationLevel' is not a valid value.`);
  }
  if (body.validationAction !== undefined && !['error', 'warn'].includes(String(body.validationAction))) {
    throw new MongoCommandError('BadValue', `Enumeration value '${String(body.validationAction)}' for field 'validationAction' is not a valid value.`);
  }
}

export const create: CommandHandler = (ctx) => {
  const { body } = ctx;
  const name = collectionName(ctx);
  for (const option of UNSUPPORTED_CREATE) {
    if (body[option] !== undefined && body[option] !== false) {
      throw new MongoCommandError('CommandNotSupported', `create option "${option}" is not supported by the embedded MongoDB engine; use a real mongod via MONGO_URL`);
    }
  }
  // The collection's default collation: every command and index without one of its own uses it.
  const collation = parseCollation(body.collation);
  const validator = optionalDocument(body, 'validator');
  checkValidator(validator);
  checkLevels(body);
  // capped, timeseries, clusteredIndex and expireAfterSeconds (storage/special-collections.ts).
  const special = specialCreateOptions(body);
  if (existing(ctx, name)) throw new MongoCommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  const options: CollectionOptions = { ...special };
  if (validator) options.validator = validator;
  if (body.validationLevel !== undefined) options.validationLevel = body.validationLevel as CollectionOptions['validationLevel'];
  if (body.validationAction !== undefined) options.validationAction = body.validationAction as CollectionOptions['validationAction'];
  if (collation) options.collation = collation.spec;
  ctx.engine.ensureCollection(ctx.db, name, ctx.session.journal, options);
  return { ok: 1 };
};

export const collMod: CommandHandler = (ctx) => {
  const { body } = ctx;
  const name = collectionName(ctx);
  const collection = existing(ctx, name);
  if (!collection) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const reply: Document = {};
  const validator = optionalDocument(body, 'validator');
  checkValidator(validator);
  checkLevels(body);
  const options = { ...collection.options };
  if (validator) options.validator = validator;
  if (body.validationLevel !== undefined) options.validationLevel = body.validationLevel as CollectionOptions['validationLevel'];
  if (body.validationAction !== undefined) options.validationAction = body.validationAction as CollectionOptions['validationAction'];
  const indexChange = optionalDocument(body, 'index');
  if (indexChange) {
    const index = collection.indexes.find((i) =>
      typeof indexChange.name === 'string' ? i.name === indexChange.name : canonicalKey(i.spec.key) === canonicalKey(indexChange.keyPattern ?? {}),
    );
    if (!index) throw new MongoCommandError('IndexNotFound', `cannot find index ${JSON.stringify(indexChange.name ?? indexChange.keyPattern)} for ns ${collection.ns}`);
    if (indexChange.expireAfterSeconds !== undefined) {
      reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
      index.spec.expireAfterSeconds = Number(indexChange.expireAfterSeconds);
      reply.expireAfterSeconds_new = index.spec.expireAfterSeconds;
    }
    if (indexChange.hidden !== undefined) index.spec.hidden = indexChange.hidden === true;
  }
  collection.setOptions(options);
  reply.ok = 1;
  return reply;
};

export const drop: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const dropped = ctx.engine.dropCollection(ctx.db, name);
  return { nIndexesWas: dropped?.indexSpecs().length ?? 0, ns: `${ctx.db}.${name}`, ok: 1 };
};

export const dropDatabase: CommandHandler = (ctx) => {
  ctx.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

/** A listCollections entry as mongod 7.0 writes it: a time series is a view-like entry without uuid or `_id` index, a clustered collection has no `_id_` index. */
function listedCollection(collection: Collection): Document {
  const options = { ...collection.options };
  if (isTimeseries(options)) return { name: collection.name, type: 'timeseries', options, info: { readOnly: false } };
  const entry: Document = { name: collection.name, type: 'collection', options, info: { readOnly: false, uuid: collection.uuid } };
  if (!options.clusteredIndex) entry.idIndex = ID_INDEX_SPEC;
  return entry;
}

export const listCollections: CommandHandler = (ctx) => {
  const db = ctx.engine.database(ctx.db);
  const nameOnly = ctx.body.nameOnly === true;
  const entries: Document[] = [...(db?.collections.values() ?? [])].map((collection) =>
    nameOnly
      ? { name: collection.name, type: isTimeseries(collection.options) ? 'timeseries' : 'collection' }
      : listedCollection(collection),
  );
  const matcher = compileFilter(optionalDocument(ctx.body, 'filter'));
  const cursor = optionalDocument(ctx.body, 'cursor') ?? {};
  const batch = ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, entries.filter((e) => matcher.test(e)), cursor.batchSize as number | undefined, ctx.session.key);
  return cursorReply(batch, 'firstBatch');
};

function approximateSize(docs: Iterable<Document>): number {
  let bytes = 0;
  for (const doc of docs) bytes += BSON.calculateObjectSize(doc);
  return bytes;
}

export const listDatabases: CommandHandler = (ctx) => {
  const nameOnly = ctx.body.nameOnly === true;
  let totalSize = 0;
  const all: Document[] = [...ctx.engine.databases.values()].map((db) => {
    if (nameOnly) return { name: db.name };
    let sizeOnDisk = 0;
    for (const collection of db.collections.values()) sizeOnDisk += approximateSize(collection.docs.values());
    totalSize += sizeOnDisk;
    return { name: db.name, sizeOnDisk, empty: db.collections.size === 0 };
  });
  const matcher = compileFilter(optionalDocument(ctx.body, 'filter'));
  const databases = all.filter((d) => matcher.test(d));
  return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

export const dbStats: CommandHandler = (ctx) => {
  const db = ctx.engine.database(ctx.db);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const collection of db?.collections.values() ?? []) {
    objects += collection.docs.size;
    dataSize += approximateSize(collection.docs.values());
    indexes += collection.indexSpecs().length;
  }
  return { db: ctx.db, collections: db?.collections.size ?? 0, views: 0, objects, avgObjSize: objects ? dataSize / objects : 0, dataSize, storageSize: dataSize, indexes, indexSize: 0, totalSize: dataSize, scaleFactor: 1, ok: 1 };
};
