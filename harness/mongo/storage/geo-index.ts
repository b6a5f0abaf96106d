/**
 * `2dsphere` and `2d` indexes: listed as mongod lists them (`2dsphereIndexVersion: 3`),
 * and the check mongod makes on every write and index build, that each location
 * under the index can be indexed: GeoJSON or a legacy pair within longitude/latitude
 * bounds for `2dsphere` (else 16755, "Can't extract geo keys"), a legacy pair within
 * `[min, max)` for `2d` (else 13026 / 13027). Documents without the field are left
 * out, as from a sparse index. The index keeps no geo keys here, only which documents
 * have a location (what a hint naming it scans): `$near` and `$geoNear` rank the
 * documents themselves (query/geo-near.ts), so explain shows COLLSCAN.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { viewOf } from '../query/comparable';
import { shapesAt } from '../query/geo-shapes';
import { formatKeyObject } from './format';
import type { IndexSpec } from './index';

const GEO_KINDS = new Set(['2d', '2dsphere']);

export function isGeoKind(kind: unknown): boolean {
  return GEO_KINDS.has(kind as string);
}

export function isGeoIndex(spec: IndexSpec): boolean {
  return Object.values(spec.key).some(isGeoKind);
}

/** The stored form of a requested geo index: a `2dsphere` one carries its version, as on mongod. */
export function geoIndexSpec(spec: IndexSpec): IndexSpec {
  for (const option of ['min', 'max', 'bits'] as const) {
    if (spec[option] !== undefined && typeof spec[option] !== 'number') throw new MongoCommandError('TypeMismatch', `2d index option '${option}' must be a number, got ${JSON.stringify(spec[option])}`);
  }
  if (typeof spec.min === 'number' && typeof spec.max === 'number' && !(spec.min < spec.max)) throw new MongoCommandError('BadValue', 'region for hash must be valid and have positive area');
  return Object.values(spec.key).includes('2dsphere') ? { ...spec, '2dsphereIndexVersion': 3 } : spec;
}

function check2dsphere(field: string, doc: Document): void {
  const refuse = (reason: string): never => {
    throw new MongoCommandError('Location16755', `Can't extract geo keys: ${formatKeyObject(doc)}  ${reason}`);
  };
  for (const shape of shapesAt(viewOf(doc), field, (_value, error) => refuse(error.message))) {
    if (!shape.legacy || shape.geometry.type !== 'Point') continue;
    // GeoJSON positions were bounds-checked when parsed; a legacy pair is only on the sphere if it fits.
    const [lng, lat] = shape.geometry.coordinates as [number, number];
    if (Math.abs(lng) > 180 || Math.abs(lat) > 90) refuse(`longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`);
  }
}

function check2d(spec: IndexSpec, field: string, doc: Document): void {
  const min = typeof spec.min === 'number' ? spec.min : -180;
  const max = typeof spec.max === 'number' ? spec.max : 180;
  const refuse = (): never => {
    throw new MongoCommandError('Location13026', `geo values must be 'legacy coordinate pairs' for 2d indexes: ${formatKeyObject(doc)}`);
  };
  for (const shape of shapesAt(viewOf(doc), field, refuse)) {
    const geometry = shape.geometry;
    if (!shape.legacy || geometry.type !== 'Point') return refuse();
    const [x, y] = geometry.coordinates as [number, number];
    if (x < min || x >= max || y < min || y >= max) {
      throw new MongoCommandError('Location13027', `point not in interval of [ ${min}, ${max} ) :: caused by :: ${formatKeyObject(doc)}`);
    }
  }
}

/** The one key a geo index keeps per located document (storage/index.ts). */
export const GEO_KEY = 'geo:located';

/** Does `doc` hold a location under any geo field of `spec`? */
export function hasLocation(spec: IndexSpec, doc: Document): boolean {
  return Object.entries(spec.key).some(([field, kind]) => isGeoKind(kind) && shapesAt(viewOf(doc), field).length > 0);
}

/** Throws mongod's error when a location of `doc` under a geo index of `spec` cannot be indexed. */
export function checkGeoKeys(spec: IndexSpec, doc: Document): void {
  for (const [field, kind] of Object.entries(spec.key)) {
    if (kind === '2dsphere') check2dsphere(field, doc);
    else if (kind === '2d') check2d(spec, field, doc);
  }
}
