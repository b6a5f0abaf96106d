/** delete: `limit: 1` removes the first match, `limit: 0` all of them. */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import { type CommandHandler, collectionName, collationFor, existing } from './context';
import { matchDocuments } from './matching';
import { deleteDocument, runStatements } from './writes';

export const deleteCommand: CommandHandler = (ctx) => {
  const statements = ctx.body.deletes;
  if (!Array.isArray(statements)) throw new MongoCommandError('TypeMismatch', `delete needs "deletes" as an array, got ${JSON.stringify(statements)}`);
  const collection = existing(ctx, collectionName(ctx));
  let n = 0;
  const writeErrors = runStatements(statements, ctx.body.ordered !== false, (statement: unknown) => {
    if (!isPlainObject(statement)) throw new MongoCommandError('TypeMismatch', `delete statements must be objects, got ${JSON.stringify(statement)}`);
    const limit = Number(statement.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw new MongoCommandError('BadValue', `The limit field in delete objects must be 0 or 1. Got ${String(statement.limit)}`);
    const matches = matchDocuments(collection, (statement.q ?? {}) as Document, { limit, hint: statement.hint, collation: collationFor(statement, collection) }, ctx.session.txn);
    if (!collection) return;
    for (const doc of matches) {
      deleteDocument(ctx, collection, doc);
      n += 1;
    }
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};
