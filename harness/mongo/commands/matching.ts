/**
 * Selecting documents: the planner's candidates (index or full scan), the filter,
 * then sort / skip / limit. Shared by find, update, delete, findAndModify, count,
 * distinct and aggregate's leading `$match`.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import type { Collation } from '../query/collation';
import { compileFilter } from '../query/filter';
import { viewOf } from '../query/comparable';
import { nearUnit, rankByDistance } from '../query/geo-near';
import type { TextQuery } from '../query/text-search';
import { sortDocuments } from '../query/shape';
import type { Collection, QueryPlan } from '../storage/collection';
import { isTextIndex, textScorer } from '../storage/text-index';
import type { Transaction } from '../transactions';
import { isPlainObject } from '../storage/values';

export interface MatchOptions {
  sort?: unknown;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
  /** An index name or key pattern to use, or `{ $natural: 1 }` for a collection scan. */
  hint?: unknown;
  /** Filled in for explain: the plan taken and what it examined. */
  stats?: MatchStats;
  /** The command's collation, or the collection's default: filter and sort compare strings with it. */
  collation?: Collation | undefined;
  /** Filled in for a `$text` query: each matched document's text score, for `{ $meta: 'textScore' }`. */
  scores?: Map<Document, number>;
}

/** What one read did, in the terms of mongod's explain output. */
export interface MatchStats {
  plan: QueryPlan;
  docsExamined: number;
  /** Matches before skip and limit. */
  matched: number;
  sorted: boolean;
}

/** Every document of `collection` as `txn` sees it (its own writes over committed data), or the committed ones. */
export function allDocuments(collection: Collection | undefined, txn?: Transaction): Document[] {
  if (!collection) return [];
  return txn ? txn.documents(collection) : [...collection.docs.values()];
}

/** The collection's one text index scoring `query`; IndexNotFound (27) without one, as on mongod. */
function textScorerOf(collection: Collection | undefined, query: TextQuery): (doc: Document) => number | undefined {
  const spec = collection?.indexes.find((index) => isTextIndex(index.spec))?.spec;
  if (!spec) throw new MongoCommandError('IndexNotFound', 'text index required for $text query');
  return textScorer(spec, query);
}

/** 1 or -1 for a sort on `$natural` alone; mongod takes no other key beside it. */
function naturalOrder(sort: unknown): 1 | -1 | undefined {
  if (!isPlainObject(sort) || !('$natural' in sort)) return undefined;
  const direction = Number(sort.$natural);
  if (Object.keys(sort).length !== 1 || (direction !== 1 && direction !== -1)) {
    throw new MongoCommandError('BadValue', `$natural sort cannot be combined with other sort keys and must be 1 or -1, got ${JSON.stringify(sort)}`);
  }
  return direction;
}

/** `txn`: the transaction the reader runs in; it sees its own writes, everyone else committed data only. */
export function matchDocuments(collection: Collection | undefined, filter: unknown, options: MatchOptions = {}, txn?: Transaction): Document[] {
  const matcher = compileFilter(filter, true, options.collation);
  const score = matcher.text ? textScorerOf(collection, matcher.text) : undefined;
  const scores = score ? (options.scores ?? new Map<Document, number>()) : undefined;
  if (!collection) {
    if (options.stats) Object.assign(options.stats, { plan: { stage: 'EOF', docs: [], keysExamined: 0 }, docsExamined: 0, matched: 0, sorted: false });
    return [];
  }
  // `$near`/`$nearSphere` needs a geo index (291 without one, as on mongod) and orders the matches by distance.
  const near = matcher.near ? { query: matcher.near, unit: nearUnit(collection.indexSpecs(), matcher.near, collection.ns) } : undefined;
  // `sort: { $natural: ±1 }` is the collection's own order (insertion order; a capped collection's oldest first), forwards or backwards.
  const natural = naturalOrder(options.sort);
  const plan = collection.plan(matcher.filter, natural ? { $natural: 1 } : options.hint, options.collation !== undefined);
  const source: Iterable<Document> = txn ? txn.documents(collection, matcher.filter, plan) : (plan.docs ?? collection.docs.values());
  const skip = Math.max(0, options.skip ?? 0);
  const limit = Math.abs(options.limit ?? 0);
  const sorting = !natural && options.sort !== undefined && options.sort !== null && Object.keys(options.sort as object).length > 0;
  // Without a sort we can stop as soon as skip + limit documents matched.
  const enough = !sorting && !near && natural !== -1 && limit > 0 ? skip + limit : Number.POSITIVE_INFINITY;
  let matched: Document[] = [];
  let docsExamined = 0;
  for (const doc of source) {
    docsExamined += 1;
    if (matcher.matchesAll || matcher.test(doc)) {
      if (score) {
        const value = score(doc);
        if (value === undefined) continue;
        scores?.set(doc, value);
      }
      matched.push(doc);
      if (matched.length >= enough) break;
    }
  }
  if (near) matched = rankByDistance(matched, near.query, near.unit, viewOf).map((ranked) => ranked.doc);
  if (options.stats) Object.assign(options.stats, { plan, docsExamined, matched: matched.length, sorted: sorting });
  if (sorting) matched = sortDocuments(matched, options.sort, scores, options.collation);
  if (natural === -1) matched.reverse();
  if (skip > 0 || limit > 0) matched = matched.slice(skip, limit > 0 ? skip + limit : undefined);
  return matched;
}
