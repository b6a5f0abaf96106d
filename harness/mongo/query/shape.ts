/**
 * Sorting and projection of query results. mingo sorts the comparable views (so a
 * Long sorts among numbers) and we map back to the stored documents it stood for.
 */
import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import type { Collation } from './collation';
import { viewOf } from './comparable';
import { compileFilter } from './filter';
import { mingoOptions, withMingo } from './mingo-options';
import { positionalPath, projectPositional } from './positional-projection';
import { isTextScoreMeta, SCORE_FIELD, withScore } from './text-score';

/** `scores`: each document's `$text` score, when the query had one; `{ $meta: 'textScore' }` sorts by it, highest first. */
export function sortDocuments(docs: Document[], sort: unknown, scores?: Map<Document, number>, collation?: Collation): Document[] {
  if (sort === undefined || sort === null) return docs;
  if (!isPlainObject(sort)) throw new MongoCommandError('TypeMismatch', `sort must be an object, got ${JSON.stringify(sort)}`);
  const spec: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(sort)) {
    if (isPlainObject(direction)) {
      checkTextScoreMeta(direction, scores, `sort on "${field}"`);
      spec[SCORE_FIELD] = -1;
      continue;
    }
    const n = Number(direction);
    if (n !== 1 && n !== -1) throw new MongoCommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending), got ${JSON.stringify(direction)} for "${field}"`);
    spec[field] = n;
  }
  if (Object.keys(spec).length === 0 || docs.length < 2) return docs;
  const original = new Map<Document, Document>();
  const views = docs.map((doc) => {
    const view = scores ? withScore(viewOf(doc), scores.get(doc)) : viewOf(doc);
    original.set(view, doc);
    return view;
  });
  const sorted = withMingo('sort failed', () => new Aggregator([{ $sort: spec }], mingoOptions({ collation })).run(views));
  return sorted.map((view) => original.get(view) as Document);
}

/** `{ $meta: 'textScore' }` needs a `$text` query: mongod answers 40218 without one, BadValue here. */
function checkTextScoreMeta(meta: Document, scores: Map<Document, number> | undefined, where: string): void {
  if (!isTextScoreMeta(meta, where)) throw new MongoCommandError('BadValue', `${where}: ${JSON.stringify(meta)} is not a sort order or a projection`);
  if (!scores) throw new MongoCommandError('BadValue', `${where}: query requires text score metadata, but it is not available (no $text in the query)`);
}

/**
 * Projects query results; `_id` comes first, where mongod keeps it, whatever the
 * projection's order. `filter` is the query, for a positional projection (`arr.$`). A `{ $meta: 'textScore' }` field is added last and counts as
 * neither inclusion nor exclusion.
 */
export function projectDocuments(docs: Document[], projection: unknown, scores?: Map<Document, number>, filter?: Document): Document[] {
  if (!isPlainObject(projection)) return shapeDocuments(docs, projection).map(idFirst);
  const path = positionalPath(projection);
  // `arr.$` needs the query that selected the documents: which element did it match?
  if (path !== undefined) return projectPositional(docs, projection, path, filter, (all, base) => projectDocuments(all, base, scores)).map(idFirst);
  const metas = Object.entries(projection).filter(([, value]) => isPlainObject(value) && '$meta' in value);
  if (metas.length === 0) return shapeDocuments(docs, projection).map(idFirst);
  for (const [field, value] of metas) checkTextScoreMeta(value as Document, scores, `projection of "${field}"`);
  const rest = Object.fromEntries(Object.entries(projection).filter(([field]) => !metas.some(([meta]) => meta === field)));
  return shapeDocuments(docs, rest).map((doc, i) => {
    const out: Document = { ...idFirst(doc) };
    for (const [field] of metas) out[field] = scores?.get(docs[i] as Document);
    return out;
  });
}

function idFirst(doc: Document): Document {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id: id, ...rest } = doc;
  return { _id: id, ...rest };
}

function shapeDocuments(docs: Document[], projection: unknown): Document[] {
  if (projection === undefined || projection === null) return docs;
  if (!isPlainObject(projection)) throw new MongoCommandError('TypeMismatch', `projection must be an object, got ${JSON.stringify(projection)}`);
  if (Object.keys(projection).length === 0 || docs.length === 0) return docs;
  const elemMatches = Object.entries(projection).filter(([, value]) => isPlainObject(value) && '$elemMatch' in value);
  if (elemMatches.length > 0) return projectElemMatches(docs, projection, elemMatches);
  // mingo counts `{ a: { $slice: n } }` as an inclusion; on mongod it is neither, so a
  // projection of slices alone returns every field. Slices are applied here instead.
  const slices = Object.entries(projection).filter(([, value]) => isPlainObject(value) && Object.keys(value).length === 1 && '$slice' in value);
  if (slices.length === 0) return withMingo('invalid projection', () => new Query({}, mingoOptions()).find<Document>(docs, projection).all());
  const rest: Document = Object.fromEntries(Object.entries(projection).filter(([field]) => !slices.some(([sliced]) => sliced === field)));
  const including = Object.entries(rest).some(([field, value]) => field !== '_id' && (isPlainObject(value) || (value !== 0 && value !== false)));
  const base = including ? { ...rest, ...Object.fromEntries(slices.map(([field]) => [field, 1])) } : rest;
  const shaped = Object.keys(base).length > 0 ? withMingo('invalid projection', () => new Query({}, mingoOptions()).find<Document>(docs, base).all()) : docs;
  return shaped.map((doc) => slices.reduce((out, [field, value]) => sliceAt(out, field.split('.'), sliceSpec(field, (value as Document).$slice)), doc));
}

type SliceSpec = { start: number; count: number | undefined; fromEnd: boolean };

/** `$slice: n` (first n, or last -n) or `$slice: [skip, limit]` (skip counted from the end when negative). */
function sliceSpec(field: string, spec: unknown): SliceSpec {
  const integer = (value: unknown) => typeof value === 'number' && Number.isInteger(value);
  if (integer(spec)) return (spec as number) >= 0 ? { start: 0, count: spec as number, fromEnd: false } : { start: spec as number, count: undefined, fromEnd: true };
  if (Array.isArray(spec) && spec.length === 2 && integer(spec[0]) && integer(spec[1])) {
    if ((spec[1] as number) <= 0) throw new MongoCommandError('BadValue', `$slice limit must be positive, got ${String(spec[1])} for "${field}"`);
    return { start: spec[0] as number, count: spec[1] as number, fromEnd: (spec[0] as number) < 0 };
  }
  throw new MongoCommandError('BadValue', `$slice takes a number or an array of two numbers, got ${JSON.stringify(spec)} for "${field}"`);
}

/** A copy of `doc` with the array at `path` sliced; stored documents are never changed. */
function sliceAt(doc: Document, path: string[], spec: SliceSpec): Document {
  const [head, ...tail] = path as [string, ...string[]];
  if (!(head in doc)) return doc;
  const value = doc[head];
  let next: unknown = value;
  if (tail.length > 0) {
    if (Array.isArray(value)) next = value.map((item) => (isPlainObject(item) ? sliceAt(item, tail, spec) : item));
    else if (isPlainObject(value)) next = sliceAt(value, tail, spec);
  } else if (Array.isArray(value)) {
    const start = spec.fromEnd ? Math.max(0, value.length + spec.start) : spec.start;
    next = value.slice(start, spec.count === undefined ? undefined : start + spec.count);
  }
  return next === value ? doc : { ...doc, [head]: next };
}

/**
 * `{ arr: { $elemMatch: cond } }` keeps the first element matching `cond`, with the
 * engine's own matcher: mingo refuses a condition on the elements themselves
 * (`{ $elemMatch: { $gte: 3 } }`). Like mongod (4.4+), the field comes after the other
 * fields of the result and is left out when no element matches.
 */
function projectElemMatches(docs: Document[], projection: Document, elemMatches: Array<[string, unknown]>): Document[] {
  const matchers = elemMatches.map(([field, value]) => {
    if (field.includes('.')) throw new MongoCommandError('BadValue', `Cannot use $elemMatch projection on a nested field: ${field}`);
    const condition = (value as Document).$elemMatch;
    if (!isPlainObject(condition)) throw new MongoCommandError('BadValue', `elemMatch: Invalid argument, object required, got ${JSON.stringify(condition)}`);
    return [field, compileFilter({ element: { $elemMatch: condition } })] as const;
  });
  const rest: Document = Object.fromEntries(Object.entries(projection).filter(([field]) => !elemMatches.some(([matched]) => matched === field)));
  const excluding = Object.entries(rest).some(([field, value]) => field !== '_id' && (value === 0 || value === false));
  const base = excluding ? rest : { ...rest, ...Object.fromEntries(elemMatches.map(([field]) => [field, 1])) };
  const shaped = shapeDocuments(docs, base);
  return shaped.map((doc, i) => {
    const out: Document = { ...doc };
    for (const [field, matcher] of matchers) {
      const array = (docs[i] as Document)[field];
      delete out[field];
      const match = Array.isArray(array) ? array.find((element) => matcher.test({ element: [element] })) : undefined;
      if (match !== undefined) out[field] = [match];
    }
    return out;
  });
}
