/**
 * The `$geoNear` aggregation stage, which must come first: the collection's
 * documents matching `query`, ranked by distance from `near` over the geo index
 * that `key` names (or the collection's only `2d`, else only `2dsphere` index),
 * each with its distance (× `distanceMultiplier`) at `distanceField` and, with
 * `includeLocs`, the location that was nearest. Units as for `$near`
 * (query/geo-near.ts): metres for a GeoJSON point; radians for a legacy pair when
 * `spherical` or the index is `2dsphere`; coordinate distance on a `2d` index.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import type { Collation } from '../query/collation';
import { viewOf } from '../query/comparable';
import { compileFilter } from '../query/filter';
import { type NearQuery, nearUnit, parseNearPoint, rankByDistance } from '../query/geo-near';
import type { Collection } from '../storage/collection';
import type { IndexSpec } from '../storage/index';
import { isPlainObject } from '../storage/values';
import type { Transaction } from '../transactions';
import { allDocuments } from './matching';

const OPTIONS = new Set(['near', 'distanceField', 'spherical', 'maxDistance', 'minDistance', 'query', 'key', 'distanceMultiplier', 'includeLocs']);

function geoFields(specs: IndexSpec[], kind: string): string[] {
  return specs.flatMap((spec) => Object.entries(spec.key).filter(([, k]) => k === kind).map(([field]) => field));
}

/** The indexed path: `key`, or the one 2d index's field, or the one 2dsphere index's; IndexNotFound (27) otherwise, as on mongod. */
function keyPath(collection: Collection, key: unknown): string {
  if (key !== undefined) {
    if (typeof key !== 'string' || key === '') throw new MongoCommandError('BadValue', `$geoNear parameter 'key' must be a non-empty string, got ${JSON.stringify(key)}`);
    return key;
  }
  const specs = collection.indexSpecs();
  const flat = geoFields(specs, '2d');
  if (flat.length > 1) throw new MongoCommandError('IndexNotFound', `more than one 2d index, not sure which to run geoNear on`);
  if (flat.length === 1) return flat[0] as string;
  const sphere = geoFields(specs, '2dsphere');
  if (sphere.length === 0) throw new MongoCommandError('IndexNotFound', '$geoNear requires a 2d or 2dsphere index, but none were found');
  if (sphere.length > 1) throw new MongoCommandError('IndexNotFound', `There is more than one 2dsphere index on ${collection.ns}; unsure which to use for $geoNear`);
  return sphere[0] as string;
}

function numberOption(spec: Document, name: string): number | undefined {
  const value = spec[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new MongoCommandError('TypeMismatch', `$geoNear parameter '${name}' must be a number, got ${JSON.stringify(value)}`);
  if (value < 0) throw new MongoCommandError('BadValue', `$geoNear parameter '${name}' must be non-negative`);
  return value;
}

function stringOption(spec: Document, name: string): string | undefined {
  const value = spec[name];
  if (value !== undefined && (typeof value !== 'string' || value === '' || value.startsWith('$'))) {
    throw new MongoCommandError('TypeMismatch', `$geoNear parameter '${name}' must be a field path (a non-empty string not starting with $), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Sets a dotted path on a copy of `doc`, copying each embedded document on the way. */
function withField(doc: Document, path: string, value: unknown): Document {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const inner = doc[head];
  return { ...doc, [head]: rest.length === 0 ? value : withField(isPlainObject(inner) ? inner : {}, rest.join('.'), value) };
}

/** Runs a leading `$geoNear` stage over `collection` (as `txn` sees it), answering mongod's errors for bad options. */
export function runGeoNear(collection: Collection | undefined, stage: unknown, collation: Collation | undefined, txn?: Transaction): Document[] {
  if (!isPlainObject(stage)) throw new MongoCommandError('TypeMismatch', `$geoNear must be an object, got ${JSON.stringify(stage)}`);
  for (const option of Object.keys(stage)) {
    if (!OPTIONS.has(option)) throw new MongoCommandError('BadValue', `unknown argument to $geoNear: ${option}`);
  }
  if (stage.near === undefined) throw new MongoCommandError('BadValue', '$geoNear requires a \'near\' argument');
  const distanceField = stringOption(stage, 'distanceField');
  if (distanceField === undefined) throw new MongoCommandError('BadValue', '$geoNear requires a \'distanceField\' argument');
  const includeLocs = stringOption(stage, 'includeLocs');
  const multiplier = numberOption(stage, 'distanceMultiplier') ?? 1;
  if (stage.query !== undefined && !isPlainObject(stage.query)) throw new MongoCommandError('TypeMismatch', `$geoNear parameter 'query' must be an object, got ${JSON.stringify(stage.query)}`);
  // `query` is a plain filter: `$near` and `$text` inside it answer BadValue, as on mongod.
  const matcher = compileFilter(stage.query ?? {}, false, collation);
  const point = parseNearPoint(stage.near);
  if (!collection) return [];
  const near: NearQuery = {
    path: keyPath(collection, stage.key),
    ...point,
    spherical: stage.spherical === true,
    maxDistance: numberOption(stage, 'maxDistance'),
    minDistance: numberOption(stage, 'minDistance'),
  };
  // A `key` (or a GeoJSON `near`) without a geo index that can answer it is mongod's planner error, 291.
  const unit = nearUnit(collection.indexSpecs(), near, collection.ns);
  const candidates = allDocuments(collection, txn).filter((doc) => matcher.matchesAll || matcher.test(doc));
  return rankByDistance(candidates, near, unit, viewOf).map(({ doc, distance, location }) => {
    const withDistance = withField(doc, distanceField, distance * multiplier);
    return includeLocs ? withField(withDistance, includeLocs, location) : withDistance;
  });
}
