/**
 * `$geoWithin` (and its old name `$within`) and `$geoIntersects`, as query operators
 * mingo runs. Like mongod they need no index. Shapes:
 *
 * - `$geometry` (GeoJSON, on the sphere): `$geoWithin` takes a Polygon or
 *   MultiPolygon, `$geoIntersects` any geometry; containment and intersection are
 *   @turf's (edges are straight in longitude/latitude, where mongod's are geodesic:
 *   they differ only for edges hundreds of kilometres long).
 * - `$centerSphere: [[lng, lat], radians]`: a spherical cap, for GeoJSON and legacy points.
 * - `$box`, `$center`, `$polygon`: flat shapes over the coordinates as they stand.
 *
 * compileFilter renames the operators (`$geoWithin` → `$geo_within`) so that mingo,
 * which does not know them, runs the implementations registered here.
 */
import booleanIntersects from '@turf/boolean-intersects';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import booleanWithin from '@turf/boolean-within';
import type { Document } from 'bson';
import type { Geometry, Polygon, Position } from 'geojson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import type { LeafOperator } from './bson-operators';
import { sphericalRadians } from './geo-distance';
import { GeoParseError, legacyPair, parseGeoJSON, type Part, partsOf, type Shape, shapesAt } from './geo-shapes';

type Region = (shape: Shape) => boolean;

/** Every vertex of a geometry. Box, circle and cap are convex, so a shape is inside one when all its vertices are. */
function vertices(geometry: Geometry): Position[] {
  return partsOf(geometry).flatMap((part) => (part.type === 'Point' ? [part.coordinates] : part.type === 'LineString' ? part.coordinates : part.coordinates.flat()));
}

/** A query shape's parse error, as mongod reports it (BadValue). */
export function badGeo(error: unknown): never {
  if (error instanceof GeoParseError) throw new MongoCommandError('BadValue', error.message);
  throw error;
}

/** mongod's custom CRS for polygons bigger than a hemisphere, which this engine cannot draw. */
const STRICT_WINDING = 'urn:x-mongodb:crs:strictwinding:EPSG:4326';

function geometryOperand(operator: string, operand: Document): Geometry {
  const crs = isPlainObject(operand.$geometry) ? operand.$geometry.crs : undefined;
  if (isPlainObject(crs) && isPlainObject(crs.properties) && crs.properties.name === STRICT_WINDING) {
    throw new MongoCommandError('BadValue', `${operator} with the big-polygon CRS ${STRICT_WINDING} is not supported by the embedded MongoDB engine (harness/mongo); run the spec against a real mongod with MONGO_URL to use it`);
  }
  try {
    return parseGeoJSON(operand.$geometry);
  } catch (error) {
    return badGeo(error);
  }
}

/**
 * Edges take the shorter way around in longitude, as geodesics do: a line from
 * lng -178 to 178 crosses the antimeridian. Each ring or line is unwrapped so its
 * longitudes run on without a jump (they may then pass ±180), and the query shape
 * is also tried a turn east and west, so that turf's planar tests see both sides.
 */
function unwrapRun(positions: Position[]): Position[] {
  let offset = 0;
  return positions.map((position, i) => {
    const previous = positions[i - 1];
    if (previous) {
      const jump = (position[0] as number) - (previous[0] as number);
      if (jump > 180) offset -= 360;
      else if (jump < -180) offset += 360;
    }
    return offset === 0 ? position : [(position[0] as number) + offset, position[1] as number];
  });
}

function unwrapped(part: Part): Part {
  if (part.type === 'Point') return part;
  if (part.type === 'LineString') return { type: 'LineString', coordinates: unwrapRun(part.coordinates) };
  return { type: 'Polygon', coordinates: part.coordinates.map(unwrapRun) };
}

function shifted<P extends Part>(part: P, dx: number): P {
  const move = (p: Position): Position => [(p[0] as number) + dx, p[1] as number];
  if (part.type === 'Point') return { ...part, coordinates: move(part.coordinates) };
  if (part.type === 'LineString') return { ...part, coordinates: part.coordinates.map(move) };
  return { ...part, coordinates: (part as Polygon).coordinates.map((ring) => ring.map(move)) };
}

/** The query's parts, unwrapped, each also a turn east and west. */
function queryParts(geometry: Geometry): Part[] {
  return partsOf(geometry).map(unwrapped).flatMap((part) => [part, shifted(part, 360), shifted(part, -360)]);
}

function partWithin(part: Part, polygon: Polygon): boolean {
  return part.type === 'Point' ? booleanPointInPolygon(part.coordinates, polygon) : booleanWithin(part, polygon);
}

function withinPolygons(geometry: Geometry): Region {
  const polygons = queryParts(geometry) as Polygon[];
  return (shape) => partsOf(shape.geometry).map(unwrapped).every((part) => polygons.some((polygon) => partWithin(part, polygon)));
}

function flatPairs(operator: string, value: unknown, count?: number): Array<[number, number]> {
  if (!Array.isArray(value) || (count !== undefined && value.length !== count)) {
    throw new MongoCommandError('BadValue', `${operator} must be an array of ${count ?? 'at least 3'} points, got ${JSON.stringify(value)}`);
  }
  try {
    return value.map((item) => legacyPair(item, false));
  } catch (error) {
    return badGeo(error);
  }
}

function circle(operator: string, value: unknown): { center: [number, number]; radius: number } {
  if (!Array.isArray(value) || value.length !== 2) throw new MongoCommandError('BadValue', `${operator} must be [center, radius], got ${JSON.stringify(value)}`);
  const [center] = flatPairs(operator, [value[0]]);
  const radius = value[1];
  if (typeof radius !== 'number' || !(radius >= 0)) throw new MongoCommandError('BadValue', 'radius must be a non-negative number');
  return { center: center as [number, number], radius };
}

/** The region a `$geoWithin` operand names, validated as mongod does. */
function withinRegion(operand: unknown): Region {
  if (!isPlainObject(operand)) throw new MongoCommandError('BadValue', `$geoWithin needs an object, got ${JSON.stringify(operand)}`);
  const [specifier, ...others] = Object.keys(operand);
  if (specifier === undefined || others.length > 0) throw new MongoCommandError('BadValue', `$geoWithin takes exactly one shape, got ${JSON.stringify(operand)}`);
  const value = operand[specifier];
  switch (specifier) {
    case '$geometry': {
      const geometry = geometryOperand('$geoWithin', operand);
      if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
        throw new MongoCommandError('BadValue', `$geoWithin not supported with provided geometry: ${JSON.stringify(operand)}`);
      }
      return withinPolygons(geometry);
    }
    case '$box': {
      const [a, b] = flatPairs('$box', value, 2) as [[number, number], [number, number]];
      const [minX, maxX] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
      const [minY, maxY] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
      return (shape) => vertices(shape.geometry).every(([x, y]) => (x as number) >= minX && (x as number) <= maxX && (y as number) >= minY && (y as number) <= maxY);
    }
    case '$center': {
      const { center, radius } = circle('$center', value);
      return (shape) => vertices(shape.geometry).every(([x, y]) => Math.hypot((x as number) - center[0], (y as number) - center[1]) <= radius);
    }
    case '$centerSphere': {
      const { center, radius } = circle('$centerSphere', value);
      if (Math.abs(center[0]) > 180 || Math.abs(center[1]) > 90) throw new MongoCommandError('BadValue', `longitude/latitude is out of bounds, lng: ${center[0]} lat: ${center[1]}`);
      return (shape) => vertices(shape.geometry).every((vertex) => sphericalRadians(center, vertex) <= radius);
    }
    case '$polygon': {
      const points = flatPairs('$polygon', value);
      if (points.length < 3) throw new MongoCommandError('BadValue', 'Polygon must have at least 3 points');
      const ring = [...points, points[0] as [number, number]];
      // A flat polygon: no turn east or west, the coordinates are taken as they stand.
      return (shape) => partsOf(shape.geometry).every((part) => partWithin(part, { type: 'Polygon', coordinates: [ring] }));
    }
    default:
      throw new MongoCommandError('BadValue', `unknown geo specifier: ${specifier}: ${JSON.stringify(value)}`);
  }
}

function intersectsRegion(operand: unknown): Region {
  if (!isPlainObject(operand) || !('$geometry' in operand)) {
    throw new MongoCommandError('BadValue', `$geoIntersects needs a $geometry, got ${JSON.stringify(operand)}`);
  }
  const query = queryParts(geometryOperand('$geoIntersects', operand));
  return (shape) => partsOf(shape.geometry).map(unwrapped).some((part) => query.some((other) => booleanIntersects(part, other)));
}

function geoOperator(region: (operand: unknown) => Region): LeafOperator {
  return (selector, operand) => {
    const test = region(operand);
    return (doc) => shapesAt(doc, selector).some(test);
  };
}

/**
 * The names the geo operators are registered under in mingo's context; withBsonOperators
 * (query/bson-operators.ts) renames them in filters along with the BSON-aware operators.
 */
export const GEO_OPERATOR_NAMES: Readonly<Record<string, string>> = { $geoWithin: '$geo_within', $within: '$geo_within', $geoIntersects: '$geo_intersects' };

/** The implementations, for mingo's context (query/mingo-options.ts). */
export const GEO_QUERY_OPERATORS: Record<string, LeafOperator> = {
  $geo_within: geoOperator(withinRegion),
  $geo_intersects: geoOperator(intersectsRegion),
};
