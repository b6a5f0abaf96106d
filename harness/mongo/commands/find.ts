/** find, getMore and killCursors. */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { hasText } from '../query/filter';
import { projectDocuments } from '../query/shape';
import { type CommandHandler, collectionName, collationFor, cursorReply, existing, optionalDocument, optionalNumber } from './context';
import { matchDocuments } from './matching';

const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId', 'oplogReplay'];

export const find: CommandHandler = (ctx) => {
  const { body } = ctx;
  const name = collectionName(ctx);
  for (const option of UNSUPPORTED_FIND_OPTIONS) {
    if (body[option] === true || (option === 'min' || option === 'max') && body[option] !== undefined) {
      throw new MongoCommandError('CommandNotSupported', `find option "${option}" is not supported by the embedded MongoDB engine`);
    }
  }
  const limit = optionalNumber(body, 'limit');
  const scores = new Map<Document, number>();
  const docs = matchDocuments(existing(ctx, name), optionalDocument(body, 'filter'), {
    sort: optionalDocument(body, 'sort'),
    skip: optionalNumber(body, 'skip'),
    limit,
    hint: body.hint,
    collation: collationFor(body, existing(ctx, name)),
    scores,
  }, ctx.session.txn);
  // A query without $text has no scores to project: `{ $meta: 'textScore' }` is then refused.
  const filter = optionalDocument(body, 'filter');
  const projected = projectDocuments(docs, optionalDocument(body, 'projection'), hasText(filter) ? scores : undefined, filter);
  const singleBatch = body.singleBatch === true || (limit !== undefined && limit < 0);
  const batch = ctx.cursors.open(`${ctx.db}.${name}`, projected, optionalNumber(body, 'batchSize'), ctx.session.key, singleBatch);
  return cursorReply(batch, 'firstBatch');
};

export const getMore: CommandHandler = (ctx) => {
  const { body } = ctx;
  const collection = body.collection;
  if (typeof collection !== 'string') throw new MongoCommandError('TypeMismatch', `getMore needs "collection" as a string, got ${JSON.stringify(collection)}`);
  const batch = ctx.cursors.more(body.getMore, `${ctx.db}.${collection}`, optionalNumber(body, 'batchSize'));
  return cursorReply(batch, 'nextBatch');
};

export const killCursors: CommandHandler = (ctx) => {
  const ids = ctx.body.cursors;
  if (!Array.isArray(ids)) throw new MongoCommandError('TypeMismatch', `killCursors needs "cursors" as an array, got ${JSON.stringify(ids)}`);
  const cursorsKilled: unknown[] = [];
  const cursorsNotFound: unknown[] = [];
  for (const id of ids) (ctx.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(id);
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};
