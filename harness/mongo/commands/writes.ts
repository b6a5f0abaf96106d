/**
 * The write path shared by insert, update, delete and findAndModify: `_id`
 * defaults and checks, validation, then the collection write (which enforces
 * unique indexes), or, inside a transaction, the transaction's overlay (transactions.ts).
 */
import { BSON, type Document, ObjectId } from 'bson';
import { MongoCommandError } from '../errors';
import { applyUpdate, buildUpsert, type UpdateKind, type UpdateOptions } from '../query/update';
import type { Collection } from '../storage/collection';
import { checkSpecialWrite } from '../storage/special-collections';
import { bsonTag, isPlainObject } from '../storage/values';
import type { CommandContext } from './context';

/** `_id` first (generated when absent), and the `_id` types mongod refuses. */
export function prepareInsert(doc: unknown): Document {
  if (!isPlainObject(doc)) throw new MongoCommandError('TypeMismatch', `documents to insert must be objects, got ${JSON.stringify(doc)}`);
  const id = doc._id === undefined ? new ObjectId() : doc._id;
  if (Array.isArray(id)) throw new MongoCommandError('BadValue', `can't use an array for _id (got ${JSON.stringify(id)})`);
  if (id instanceof RegExp || bsonTag(id) === 'BSONRegExp') throw new MongoCommandError('BadValue', `can't use a regex for _id (got ${String(id)})`);
  if (Object.keys(doc)[0] === '_id' && doc._id !== undefined) return doc;
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

function bypass(ctx: CommandContext): boolean {
  return ctx.body.bypassDocumentValidation === true;
}

/** mongod's limit on a stored document (BSONObjectTooLarge, 10334). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

function checkSize(doc: Document, message: (size: number) => string): void {
  const size = BSON.calculateObjectSize(doc);
  if (size > MAX_DOCUMENT_BYTES) throw new MongoCommandError('BSONObjectTooLarge', message(size));
}

export function insertDocument(ctx: CommandContext, collection: Collection, raw: unknown): Document {
  const doc = prepareInsert(raw);
  checkSize(doc, (size) => `object to insert too large. size in bytes: ${size}, max size: ${MAX_DOCUMENT_BYTES}`);
  checkSpecialWrite(collection.options, collection.ns, ctx.session.txn !== undefined, doc);
  if (!bypass(ctx)) collection.validate(doc);
  if (ctx.session.txn) ctx.session.txn.insert(collection, doc);
  else collection.insert(doc);
  return doc;
}

export function updateDocument(
  ctx: CommandContext,
  collection: Collection,
  stored: Document,
  update: Document | Document[],
  kind: UpdateKind,
  options: UpdateOptions,
): { doc: Document; modified: boolean } {
  const outcome = applyUpdate(stored, update, kind, options);
  if (!outcome.modified) return { doc: stored, modified: false };
  checkSize(outcome.doc, (size) => `Resulting document after update is larger than ${MAX_DOCUMENT_BYTES} (${size} bytes)`);
  checkSpecialWrite(collection.options, collection.ns, ctx.session.txn !== undefined, outcome.doc);
  if (!bypass(ctx)) collection.validate(outcome.doc, stored);
  if (ctx.session.txn) ctx.session.txn.replace(collection, stored, outcome.doc);
  else collection.replace(stored, outcome.doc);
  return outcome;
}

export function upsertDocument(
  ctx: CommandContext,
  collection: Collection,
  filter: Document,
  update: Document | Document[],
  kind: UpdateKind,
  options: UpdateOptions,
): Document {
  return insertDocument(ctx, collection, buildUpsert(filter, update, kind, options));
}

export function deleteDocument(ctx: CommandContext, collection: Collection, doc: Document): void {
  checkSpecialWrite(collection.options, collection.ns, ctx.session.txn !== undefined);
  if (ctx.session.txn) ctx.session.txn.remove(collection, doc);
  else collection.remove(doc);
}

/** Runs one statement of a batch write, turning a thrown MongoDB error into a `writeErrors` entry. */
export function runStatements<T>(
  items: T[],
  ordered: boolean,
  run: (item: T, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (let i = 0; i < items.length; i += 1) {
    try {
      run(items[i] as T, i);
    } catch (error) {
      if (!(error instanceof MongoCommandError)) throw error;
      // Transaction errors abort the whole command, as in mongod.
      if (error.labels.length > 0) throw error;
      writeErrors.push(error.toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}
