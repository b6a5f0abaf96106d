/**
 * The positional projection `{ 'arr.$': 1 }`: of the array `arr`, only the first
 * element the query matched, as mongod (4.4+) returns it. The element is the one
 * positional updates use (query/positional.ts): the first that every query clause
 * about `arr` matches. Like mongod, a projection holds at most one `$`, only at the
 * end of its path and only among inclusions, and a document whose array the query
 * did not match fails the find (51246).
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { getPath, isPlainObject } from '../storage/values';
import { firstMatchingElement } from './positional';

/** The array path a positional projection names (`arr` for `arr.$`), checked as mongod checks it; undefined without one. */
export function positionalPath(projection: Document): string | undefined {
  const fields = Object.keys(projection).filter((field) => field.split('.').includes('$'));
  if (fields.length === 0) return undefined;
  if (fields.length > 1) throw new MongoCommandError('BadValue', 'Cannot specify more than one positional projection per query.');
  const field = fields[0] as string;
  if (!field.endsWith('.$') || field.slice(0, -2).split('.').includes('$')) {
    throw new MongoCommandError('BadValue', `Positional projection '${field}' contains the positional operator prior to the end of the path.`);
  }
  const value = projection[field];
  if (value === 0 || value === false || isPlainObject(value)) throw new MongoCommandError('BadValue', `Positional projection '${field}' must be an inclusion (1 or true).`);
  const excluding = Object.entries(projection).some(([other, v]) => other !== '_id' && (v === 0 || v === false));
  if (excluding) throw new MongoCommandError('BadValue', 'Cannot use positional projection in an exclusion projection.');
  if (Object.values(projection).some((v) => isPlainObject(v) && '$elemMatch' in v)) {
    throw new MongoCommandError('BadValue', 'Cannot specify positional operator and $elemMatch.');
  }
  return field.slice(0, -2);
}

/** A copy of `doc` with `value` at the dotted `path` (whose parents are objects in `doc`). */
function replaceAt(doc: Document, path: string[], value: unknown): Document {
  const [head, ...tail] = path as [string, ...string[]];
  if (tail.length === 0) return { ...doc, [head]: value };
  const child = doc[head];
  return isPlainObject(child) ? { ...doc, [head]: replaceAt(child, tail, value) } : doc;
}

/**
 * `shape` projects with `arr.$` turned into `arr: 1`; then each result's `arr`
 * becomes `[first matched element]` of the stored document's array.
 */
export function projectPositional(
  docs: Document[],
  projection: Document,
  path: string,
  filter: Document | undefined,
  shape: (docs: Document[], projection: Document) => Document[],
): Document[] {
  const base = Object.fromEntries(Object.entries(projection).map(([field, value]) => (field === `${path}.$` ? [path, 1] : [field, value])));
  return shape(docs, base).map((shaped, i) => {
    const stored = docs[i] as Document;
    const at = firstMatchingElement(stored, filter, path);
    if (at < 0) {
      throw new MongoCommandError('Location51246', "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
    }
    return replaceAt(shaped, path.split('.'), [(getPath(stored, path) as unknown[])[at]]);
  });
}
