/**
 * Selecting documents: the planner's candidates (index or full scan), the filter,
 * then sort / skip / limit. Shared by find, update, delete, findAndModify, count,
 * distinct and aggregate's leading `$match`.
 */
import type { Document } from 'bson';
import { compileFilter } from '../query/filter';
import { sortDocuments } from '../query/shape';
import type { Collection } from '../storage/collection';
import type { Transaction } from '../transactions';

export interface MatchOptions {
  sort?: unknown;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
}

/** Every document of `collection` as `txn` sees it (its own writes over committed data), or the committed ones. */
export function allDocuments(collection: Collection | undefined, txn?: Transaction): Document[] {
  if (!collection) return [];
  return txn ? txn.documents(collection) : [...collection.docs.values()];
}

/** `txn`: the transaction the reader runs in; it sees its own writes, everyone else committed data only. */
export function matchDocuments(collection: Collection | undefined, filter: unknown, options: MatchOptions = {}, txn?: Transaction): Document[] {
  const matcher = compileFilter(filter);
  if (!collection) return [];
  const source: Iterable<Document> = txn
    ? txn.documents(collection, matcher.filter)
    : (collection.candidates(matcher.filter) ?? collection.docs.values());
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const sorting = options.sort !== undefined && options.sort !== null && Object.keys(options.sort as object).length > 0;
  // Without a sort we can stop as soon as skip + limit documents matched.
  const enough = !sorting && limit > 0 ? skip + limit : Number.POSITIVE_INFINITY;
  let matched: Document[] = [];
  for (const doc of source) {
    if (matcher.matchesAll || matcher.test(doc)) {
      matched.push(doc);
      if (matched.length >= enough) break;
    }
  }
  if (sorting) matched = sortDocuments(matched, options.sort);
  if (skip > 0 || limit > 0) matched = matched.slice(skip, limit > 0 ? skip + limit : undefined);
  return matched;
}
