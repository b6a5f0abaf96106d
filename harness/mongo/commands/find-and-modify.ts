/** findAndModify: update or remove one document and return it (before or after, `new`). */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { projectDocuments } from '../query/shape';
import { checkUpdate } from '../query/update';
import { type CommandHandler, collectionName, collationFor, existing, optionalDocument } from './context';
import { matchDocuments } from './matching';
import { deleteDocument, updateDocument, upsertDocument } from './writes';

function project(doc: Document | null, fields: Document | undefined, filter: Document): Document | null {
  if (!doc || !fields) return doc;
  return projectDocuments([doc], fields, undefined, filter)[0] ?? null;
}

export const findAndModify: CommandHandler = (ctx) => {
  const { body } = ctx;
  const name = collectionName(ctx);
  const filter = optionalDocument(body, 'query') ?? {};
  const fields = optionalDocument(body, 'fields');
  const remove = body.remove === true;
  if (remove && body.update !== undefined) throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && body.update === undefined) throw new MongoCommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && body.upsert === true) throw new MongoCommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const [stored] = matchDocuments(existing(ctx, name), filter, { sort: optionalDocument(body, 'sort'), limit: 1, hint: body.hint, collation: collationFor(body, existing(ctx, name)) }, ctx.session.txn);

  if (remove) {
    const collection = existing(ctx, name);
    if (stored && collection) deleteDocument(ctx, collection, stored);
    return { lastErrorObject: { n: stored ? 1 : 0 }, value: project(stored ?? null, fields, filter), ok: 1 };
  }

  const spec = body.update as Document | Document[];
  const kind = checkUpdate(spec);
  const options = { arrayFilters: body.arrayFilters as Document[] | undefined, filter };
  if (stored) {
    const collection = existing(ctx, name);
    if (!collection) throw new MongoCommandError('InternalError', `collection ${ctx.db}.${name} vanished during findAndModify`);
    const { doc } = updateDocument(ctx, collection, stored, spec, kind, options);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(body.new === true ? doc : stored, fields, filter), ok: 1 };
  }
  if (body.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const collection = ctx.engine.ensureCollection(ctx.db, name, ctx.session.journal);
  const doc = upsertDocument(ctx, collection, filter, spec, kind, options);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: project(body.new === true ? doc : null, fields, filter),
    ok: 1,
  };
};
