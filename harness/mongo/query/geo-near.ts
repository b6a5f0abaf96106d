/**
 * `$near` and `$nearSphere`: taken out of a filter (they order results rather than
 * test documents), checked against the collection's geo indexes as mongod's planner
 * does, and applied by ranking the matched documents by distance. Units follow the
 * query point: a GeoJSON point measures metres on the sphere; a legacy pair measures
 * radians on the sphere for `$nearSphere` (or when only a `2dsphere` index exists)
 * and plain coordinate distance for `$near` on a `2d` index.
 */
import type { Document } from 'bson';
import type { Position } from 'geojson';
import { MongoCommandError } from '../errors';
import type { IndexSpec } from '../storage/index';
import { isPlainObject } from '../storage/values';
import { type DistanceUnit, distanceTo } from './geo-distance';
import { badGeo } from './geo-operators';
import { legacyPair, looksGeoJSON, parseGeoJSON, shapesAt } from './geo-shapes';

export const NEAR_OPERATORS = new Set(['$near', '$nearSphere']);

/** A geo proximity search: from `point`, over the locations at `path`. */
export interface NearQuery {
  readonly path: string;
  readonly point: Position;
  /** The point was GeoJSON: distances are metres on the sphere. */
  readonly geoJSON: boolean;
  /** `$nearSphere`, or `$geoNear` with `spherical: true`. */
  readonly spherical: boolean;
  readonly minDistance?: number | undefined;
  readonly maxDistance?: number | undefined;
}

/** One ranked document: its distance and the location that was nearest. */
export interface Ranked {
  readonly doc: Document;
  readonly distance: number;
  readonly location: unknown;
}

function distanceOption(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new MongoCommandError('BadValue', `${name} must be a number, got ${JSON.stringify(value)}`);
  if (value < 0) throw new MongoCommandError('BadValue', `${name} must be non-negative`);
  return value;
}

/** A query point: GeoJSON (`{ type: 'Point', ... }`, bare or under `$geometry`) or a legacy pair. */
export function parseNearPoint(target: unknown): { point: Position; geoJSON: boolean } {
  try {
    const geometry = isPlainObject(target) && '$geometry' in target ? target.$geometry : target;
    if (!looksGeoJSON(geometry)) return { point: legacyPair(geometry, false), geoJSON: false };
    const parsed = parseGeoJSON(geometry);
    if (parsed.type !== 'Point') throw new MongoCommandError('BadValue', `invalid point in geo near query $geometry argument: ${JSON.stringify(geometry)}`);
    return { point: parsed.coordinates, geoJSON: true };
  } catch (error) {
    return badGeo(error);
  }
}

/** `{ $near: point, $maxDistance, $minDistance }` on one field; a GeoJSON `$near` object holds its own distances. */
function parseNear(path: string, spec: Document): NearQuery {
  const operator = '$near' in spec ? '$near' : '$nearSphere';
  const target = spec[operator];
  const inner = isPlainObject(target) && '$geometry' in target ? target : {};
  for (const key of Object.keys(spec)) {
    if (key !== operator && key !== '$maxDistance' && key !== '$minDistance') throw new MongoCommandError('BadValue', `${key} cannot be combined with ${operator}`);
  }
  return {
    path,
    ...parseNearPoint(target),
    spherical: operator === '$nearSphere',
    maxDistance: distanceOption('$maxDistance', inner.$maxDistance ?? spec.$maxDistance),
    minDistance: distanceOption('$minDistance', inner.$minDistance ?? spec.$minDistance),
  };
}

function nearSpec(value: unknown): value is Document {
  return isPlainObject(value) && Object.keys(value).some((key) => NEAR_OPERATORS.has(key));
}

/** Does the filter hold `$near`/`$nearSphere` at its top level or in a top-level `$and`? */
export function hasNear(filter: Document | undefined): boolean {
  if (!filter) return false;
  return Object.values(filter).some(nearSpec) || (Array.isArray(filter.$and) && filter.$and.some((clause) => isPlainObject(clause) && hasNear(clause)));
}

/** The filter without its `$near`/`$nearSphere` condition, and that condition (at most one, as on mongod). */
export function withoutNear(filter: Document): { rest: Document; near: NearQuery | undefined } {
  let near: NearQuery | undefined;
  const take = (path: string, spec: Document): void => {
    if (near) throw new MongoCommandError('BadValue', 'Too many geoNear expressions');
    near = parseNear(path, spec);
  };
  const strip = (clause: Document): Document => {
    const rest: Document = {};
    for (const [key, value] of Object.entries(clause)) {
      if (nearSpec(value)) take(key, value);
      else if (key === '$and' && Array.isArray(value)) {
        const clauses = value.map((item) => (isPlainObject(item) ? strip(item) : item)).filter((item) => !isPlainObject(item) || Object.keys(item).length > 0);
        if (clauses.length > 0) rest.$and = clauses;
      } else rest[key] = value;
    }
    return rest;
  };
  const rest = strip(filter);
  return { rest, near };
}

/** The geo index kinds on `path` among `specs`. */
function geoKinds(specs: IndexSpec[], path: string): Set<unknown> {
  return new Set(specs.map((spec) => spec.key[path]).filter((kind) => kind === '2d' || kind === '2dsphere'));
}

export function noGeoIndex(ns: string, near: NearQuery): MongoCommandError {
  return new MongoCommandError(
    'NoQueryExecutionPlans',
    `error processing query: ns=${ns}Tree: GEONEAR  field=${near.path} maxdist=${near.maxDistance ?? 1.79769e308} isNearSphere=${near.spherical ? 1 : 0}\nSort: {}\nProj: {}\n planner returned error :: caused by :: unable to find index for $geoNear query`,
  );
}

/**
 * The unit a near query measures in, given the collection's indexes; like mongod's
 * planner, NoQueryExecutionPlans (291) when no geo index on the path can answer it
 * (a GeoJSON point needs a `2dsphere` index, a legacy pair either kind).
 */
export function nearUnit(specs: IndexSpec[], near: NearQuery, ns: string): DistanceUnit {
  const kinds = geoKinds(specs, near.path);
  if (near.geoJSON) {
    if (kinds.has('2dsphere')) return 'metres';
    throw noGeoIndex(ns, near);
  }
  // (A 2d index refuses GeoJSON on write, storage/geo-index.ts, so its field holds legacy pairs only.)
  if (kinds.has('2d')) return near.spherical ? 'radians' : 'flat';
  if (kinds.has('2dsphere')) return 'radians';
  throw noGeoIndex(ns, near);
}

/** `docs` with a location within the query's distances, nearest first (ties keep their order). */
export function rankByDistance(docs: Iterable<Document>, near: NearQuery, unit: DistanceUnit, view: (doc: Document) => Document): Ranked[] {
  const ranked: Ranked[] = [];
  for (const doc of docs) {
    let best: Ranked | undefined;
    for (const shape of shapesAt(view(doc), near.path)) {
      const distance = distanceTo(near.point, shape.geometry, unit);
      if (near.maxDistance !== undefined && distance > near.maxDistance) continue;
      if (near.minDistance !== undefined && distance < near.minDistance) continue;
      if (!best || distance < best.distance) best = { doc, distance, location: shape.source };
    }
    if (best) ranked.push(best);
  }
  return ranked.sort((a, b) => a.distance - b.distance);
}
