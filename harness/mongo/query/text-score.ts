/**
 * `{ $meta: 'textScore' }` after a `$text` query. The score travels with each
 * document in a field no stored document can have (BSON field names are C strings,
 * so none contains NUL): sorts and aggregation stages read it like any field, and
 * it is taken off the results before they leave the engine.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';

export const SCORE_FIELD = 'textScore\u0000';

/** Is `value` exactly `{ $meta: 'textScore' }`? Other `$meta` kinds answer BadValue naming them. */
export function isTextScoreMeta(value: unknown, where: string): value is Document {
  if (!isPlainObject(value) || !('$meta' in value)) return false;
  if (Object.keys(value).length !== 1 || value.$meta !== 'textScore') {
    throw new MongoCommandError('BadValue', `${where}: ${JSON.stringify(value)} is not supported by the embedded engine; only { $meta: "textScore" } is`);
  }
  return true;
}

/** `doc` carrying its score (a copy; stored documents are never changed). */
export function withScore(doc: Document, score: number | undefined): Document {
  return { ...doc, [SCORE_FIELD]: score };
}

export function withoutScore(doc: Document): Document {
  if (!(SCORE_FIELD in doc)) return doc;
  const { [SCORE_FIELD]: _score, ...rest } = doc;
  return rest;
}

/**
 * Aggregation stages after a `$text` `$match`, reading the score: `{ $meta: 'textScore' }`
 * as an expression becomes a reference to the score field, and in `$sort` a descending sort on it.
 */
export function stagesReadingScore(stages: Document[]): Document[] {
  const rewrite = (value: unknown, where: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, where));
    if (!isPlainObject(value)) return value;
    if (isTextScoreMeta(value, where)) return `$${SCORE_FIELD}`;
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, rewrite(child, where)]));
  };
  return stages.map((stage) => {
    if (isPlainObject(stage.$sort)) {
      return { $sort: Object.fromEntries(Object.entries(stage.$sort).map(([field, direction]) => (isTextScoreMeta(direction, '$sort') ? [SCORE_FIELD, -1] : [field, direction]))) };
    }
    return rewrite(stage, 'aggregate') as Document;
  });
}
