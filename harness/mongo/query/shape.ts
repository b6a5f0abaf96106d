/**
 * Sorting and projection of query results. mingo sorts the comparable views (so a
 * Long sorts among numbers) and we map back to the stored documents it stood for.
 */
import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import { viewOf } from './comparable';
import { mingoOptions, withMingo } from './mingo-options';

export function sortDocuments(docs: Document[], sort: unknown): Document[] {
  if (sort === undefined || sort === null) return docs;
  if (!isPlainObject(sort)) throw new MongoCommandError('TypeMismatch', `sort must be an object, got ${JSON.stringify(sort)}`);
  const spec: Record<string, 1 | -1> = {};
  for (const [field, direction] of Object.entries(sort)) {
    if (isPlainObject(direction)) {
      throw new MongoCommandError('BadValue', `sort by ${JSON.stringify(direction)} on "${field}" is not supported by the embedded engine ($meta needs text search)`);
    }
    const n = Number(direction);
    if (n !== 1 && n !== -1) throw new MongoCommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending), got ${JSON.stringify(direction)} for "${field}"`);
    spec[field] = n;
  }
  if (Object.keys(spec).length === 0 || docs.length < 2) return docs;
  const original = new Map<Document, Document>();
  const views = docs.map((doc) => {
    const view = viewOf(doc);
    original.set(view, doc);
    return view;
  });
  const sorted = withMingo('sort failed', () => new Aggregator([{ $sort: spec }], mingoOptions()).run(views));
  return sorted.map((view) => original.get(view) as Document);
}

export function projectDocuments(docs: Document[], projection: unknown): Document[] {
  if (projection === undefined || projection === null) return docs;
  if (!isPlainObject(projection)) throw new MongoCommandError('TypeMismatch', `projection must be an object, got ${JSON.stringify(projection)}`);
  if (Object.keys(projection).length === 0 || docs.length === 0) return docs;
  for (const [field, value] of Object.entries(projection)) {
    if (field.endsWith('.$')) throw new MongoCommandError('BadValue', `positional projection "${field}" is not supported by the embedded engine`);
    if (isPlainObject(value) && '$meta' in value) throw new MongoCommandError('BadValue', `projection { ${field}: { $meta } } is not supported by the embedded engine`);
  }
  return withMingo('invalid projection', () => new Query({}, mingoOptions()).find<Document>(docs, projection).all());
}
