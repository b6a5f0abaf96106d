/** insert: `documents` inline or as an OP_MSG document sequence (folded into the body by the codec). */
import { MongoCommandError } from '../errors';
import { type CommandHandler, collectionName } from './context';
import { insertDocument, runStatements } from './writes';

export const insert: CommandHandler = (ctx) => {
  const documents = ctx.body.documents;
  if (!Array.isArray(documents)) throw new MongoCommandError('TypeMismatch', `insert needs "documents" as an array, got ${JSON.stringify(documents)}`);
  const collection = ctx.engine.ensureCollection(ctx.db, collectionName(ctx), ctx.session.journal);
  let n = 0;
  const writeErrors = runStatements(documents, ctx.body.ordered !== false, (doc) => {
    insertDocument(ctx, collection, doc);
    n += 1;
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};
