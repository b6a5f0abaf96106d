/**
 * Geometries as mongod reads them: GeoJSON objects (Point, LineString, Polygon,
 * MultiPoint, MultiLineString, MultiPolygon, GeometryCollection) on the sphere, and
 * legacy coordinate pairs (`[x, y]` or `{ lng: x, lat: y }`, the first two fields)
 * on the plane. Parsing answers mongod's reason for a malformed value
 * ("Point must only contain numeric elements", "Loop is not closed: ..."), which
 * the callers wrap as a query error (BadValue) or an index key error (16755).
 * Values arrive as comparable views (query/comparable.ts): BSON numbers are numbers.
 */
import type { Geometry, LineString, Point, Polygon, Position } from 'geojson';
import { isPlainObject } from '../storage/values';

/** A parsed geometry: GeoJSON on the sphere, or a legacy pair (which a flat query may also read). */
export interface Shape {
  readonly geometry: Geometry;
  /** Stored or written as a legacy coordinate pair rather than GeoJSON. */
  readonly legacy: boolean;
  /** The value it was read from, for `$geoNear`'s `includeLocs`. */
  readonly source: unknown;
}

/** The simple geometries the others are made of. */
export type Part = Point | LineString | Polygon;

/** A geometry as its simple parts: Multi* and collections taken apart. */
export function partsOf(geometry: Geometry): Part[] {
  switch (geometry.type) {
    case 'MultiPoint':
      return geometry.coordinates.map((coordinates) => ({ type: 'Point', coordinates }));
    case 'MultiLineString':
      return geometry.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiPolygon':
      return geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
    case 'GeometryCollection':
      return geometry.geometries.flatMap(partsOf);
    default:
      return [geometry];
  }
}

/** A malformed geometry, with mongod's reason. */
export class GeoParseError extends Error {}

const isNumber = (value: unknown): value is number => typeof value === 'number';

function render(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `[x, y]` or `{ x, y }` (the first two fields): a legacy pair. `extraFields`: stored points may carry more. */
export function legacyPair(value: unknown, extraFields = true): [number, number] {
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (!items) throw new GeoParseError('Point must be an array or object');
  const [x, y] = items;
  if (!isNumber(x) || !isNumber(y)) throw new GeoParseError('Point must only contain numeric elements');
  if (!extraFields && items.length > 2) throw new GeoParseError('Point must only contain two numeric elements');
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new GeoParseError('Point coordinates must be finite numbers');
  return [x, y];
}

/** Does this value look like a legacy pair (an array or object whose first value is a number)? */
export function looksLegacy(value: unknown): boolean {
  if (Array.isArray(value)) return isNumber(value[0]);
  return isPlainObject(value) && isNumber(Object.values(value)[0]);
}

/** Does this value look like GeoJSON (an object with a string `type`)? */
export function looksGeoJSON(value: unknown): value is { type: string } {
  return isPlainObject(value) && typeof value.type === 'string';
}

function position(value: unknown): Position {
  const [lng, lat] = legacyPair(value);
  if (lng < -180 || lng > 180 || lat < -90 || lat > 90) throw new GeoParseError(`longitude/latitude is out of bounds, lng: ${lng} lat: ${lat}`);
  return [lng, lat];
}

function positions(value: unknown, what: string): Position[] {
  if (!Array.isArray(value)) throw new GeoParseError(`${what} coordinates must be an array of coordinates`);
  return value.map(position);
}

/** Consecutive repeats removed, as mongod does before counting a line's or a loop's vertices. */
function distinctRun(points: Position[]): Position[] {
  return points.filter((p, i) => i === 0 || p[0] !== points[i - 1]?.[0] || p[1] !== points[i - 1]?.[1]);
}

function line(value: unknown): Position[] {
  const points = positions(value, 'GeoJSON');
  if (distinctRun(points).length < 2) throw new GeoParseError(`GeoJSON LineString must have at least 2 vertices: ${render(value)}`);
  return points;
}

function polygon(value: unknown): Position[][] {
  if (!Array.isArray(value)) throw new GeoParseError('Polygon coordinates must be an array');
  if (value.length === 0) throw new GeoParseError('Polygon has no loops.');
  return value.map((ring: unknown) => {
    const points = positions(ring, 'GeoJSON');
    if (points.length === 0) throw new GeoParseError(`Loop has no vertices: ${render(ring)}`);
    const first = points[0] as Position;
    const last = points[points.length - 1] as Position;
    if (first[0] !== last[0] || first[1] !== last[1]) throw new GeoParseError(`Loop is not closed: ${render(ring)}`);
    if (distinctRun(points).length - 1 < 3) throw new GeoParseError(`Loop must have at least 3 different vertices: ${render(ring)}`);
    return points;
  });
}

function nonEmpty<T>(items: T[], type: string): T[] {
  if (items.length === 0) throw new GeoParseError(`${type} coordinates must have at least 1 element`);
  return items;
}

function arrayOf(value: unknown, type: string): unknown[] {
  if (!Array.isArray(value)) throw new GeoParseError(`${type} coordinates must be an array`);
  return value;
}

/** A GeoJSON geometry, validated the way mongod validates it. */
export function parseGeoJSON(value: unknown): Geometry {
  if (!looksGeoJSON(value)) throw new GeoParseError(`unknown GeoJSON type: ${render(value)}`);
  const { type } = value;
  const coordinates = (value as { coordinates?: unknown }).coordinates;
  switch (type) {
    case 'Point':
      return { type, coordinates: position(coordinates) };
    case 'LineString':
      return { type, coordinates: line(coordinates) };
    case 'Polygon':
      return { type, coordinates: polygon(coordinates) };
    case 'MultiPoint':
      return { type, coordinates: nonEmpty(positions(coordinates, 'MultiPoint'), type) };
    case 'MultiLineString':
      return { type, coordinates: nonEmpty(arrayOf(coordinates, type).map(line), type) };
    case 'MultiPolygon':
      return { type, coordinates: nonEmpty(arrayOf(coordinates, type).map(polygon), type) };
    case 'GeometryCollection': {
      const geometries = (value as { geometries?: unknown }).geometries;
      if (!Array.isArray(geometries)) throw new GeoParseError('GeometryCollection geometries must be an array');
      return { type, geometries: nonEmpty(geometries.map(parseGeoJSON), type) };
    }
    default:
      throw new GeoParseError(`unknown GeoJSON type: ${render(value)}`);
  }
}

/** One stored or queried location: a legacy pair or a GeoJSON geometry. */
export function parseShape(value: unknown): Shape {
  if (looksLegacy(value)) return { geometry: { type: 'Point', coordinates: legacyPair(value) }, legacy: true, source: value };
  return { geometry: parseGeoJSON(value), legacy: false, source: value };
}

/**
 * The locations a document holds at `path`: a legacy pair or GeoJSON at the end of
 * the path, or an array of them (mongod's multi-location documents). Arrays met on
 * the way are descended into, as for any multikey path. `onInvalid` gets each value
 * that is no geometry (a query skips it; an index refuses it).
 */
export function shapesAt(doc: unknown, path: string, onInvalid: (value: unknown, error: GeoParseError) => void = () => undefined): Shape[] {
  const parts = path.split('.');
  const out: Shape[] = [];
  const take = (value: unknown): void => {
    try {
      out.push(parseShape(value));
    } catch (error) {
      if (!(error instanceof GeoParseError)) throw error;
      onInvalid(value, error);
    }
  };
  const walk = (value: unknown, i: number): void => {
    if (value === undefined || value === null) return;
    if (i === parts.length) {
      if (Array.isArray(value) && !looksLegacy(value)) value.forEach(take);
      else take(value);
      return;
    }
    if (Array.isArray(value)) {
      const part = parts[i] as string;
      if (/^\d+$/.test(part)) walk(value[Number(part)], i + 1);
      for (const item of value) if (isPlainObject(item)) walk(item, i);
      return;
    }
    if (isPlainObject(value) && Object.hasOwn(value, parts[i] as string)) walk(value[parts[i] as string], i + 1);
  };
  walk(doc, 0);
  return out;
}
