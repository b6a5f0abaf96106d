/** update: multi, upsert, arrayFilters, replacement and pipeline updates. */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { checkUpdate } from '../query/update';
import { isPlainObject } from '../storage/values';
import { type CommandHandler, collectionName, collationFor, existing } from './context';
import { matchDocuments } from './matching';
import { runStatements, updateDocument, upsertDocument } from './writes';

export const update: CommandHandler = (ctx) => {
  const statements = ctx.body.updates;
  if (!Array.isArray(statements)) throw new MongoCommandError('TypeMismatch', `update needs "updates" as an array, got ${JSON.stringify(statements)}`);
  const name = collectionName(ctx);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runStatements(statements, ctx.body.ordered !== false, (statement: unknown, index) => {
    if (!isPlainObject(statement)) throw new MongoCommandError('TypeMismatch', `update statements must be objects, got ${JSON.stringify(statement)}`);
    const filter = (statement.q ?? {}) as Document;
    const spec = statement.u as Document | Document[];
    const kind = checkUpdate(spec);
    if (statement.multi === true && kind === 'replacement') {
      throw new MongoCommandError('FailedToParse', 'multi update is not supported for replacement-style update');
    }
    const options = { arrayFilters: statement.arrayFilters as Document[] | undefined, filter };
    const matches = matchDocuments(existing(ctx, name), filter, {
      limit: statement.multi === true ? 0 : 1,
      sort: statement.sort,
      hint: statement.hint,
      collation: collationFor(statement, existing(ctx, name)),
    }, ctx.session.txn);
    if (matches.length === 0) {
      if (statement.upsert !== true) return;
      const collection = ctx.engine.ensureCollection(ctx.db, name, ctx.session.journal);
      const doc = upsertDocument(ctx, collection, filter, spec, kind, options);
      n += 1;
      upserted.push({ index, _id: doc._id });
      return;
    }
    const collection = existing(ctx, name);
    if (!collection) return;
    for (const stored of matches) {
      const { modified } = updateDocument(ctx, collection, stored, spec, kind, options);
      n += 1;
      if (modified) nModified += 1;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};
