/**
 * Distances for `$near`, `$nearSphere`, `$geoNear` and `$centerSphere`, in mongod's
 * units: on the sphere as an angle in radians (legacy points) or in metres (GeoJSON,
 * on mongod's Earth of radius 6378.1 km), on the plane as the Euclidean distance
 * between coordinates (legacy points under a `2d` index). The great-circle and
 * point-to-line distances are @turf's.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import distance from '@turf/distance';
import pointToLineDistance from '@turf/point-to-line-distance';
import type { Geometry, Position } from 'geojson';
import { partsOf } from './geo-shapes';

/** mongod's `kRadiusOfEarthInMeters`: metres = radians × this. */
export const EARTH_RADIUS_METRES = 6_378_100;

/** `flat`: Euclidean over coordinates; `radians` and `metres`: on the sphere. */
export type DistanceUnit = 'flat' | 'radians' | 'metres';

export function sphericalRadians(from: Position, to: Position): number {
  return distance(from, to, { units: 'radians' });
}

/** Radians from `point` to the nearest place of `geometry` (0 inside a polygon). */
function radiansTo(point: Position, geometry: Geometry): number {
  let best = Number.POSITIVE_INFINITY;
  for (const part of partsOf(geometry)) {
    if (part.type === 'Point') {
      best = Math.min(best, sphericalRadians(point, part.coordinates));
    } else if (part.type === 'LineString') {
      best = Math.min(best, pointToLineDistance(point, part, { units: 'radians' }));
    } else if (booleanPointInPolygon(point, part)) {
      return 0;
    } else {
      for (const ring of part.coordinates) best = Math.min(best, pointToLineDistance(point, { type: 'LineString', coordinates: ring }, { units: 'radians' }));
    }
  }
  return best;
}

function flatTo(point: Position, geometry: Geometry): number {
  let best = Number.POSITIVE_INFINITY;
  for (const part of partsOf(geometry)) {
    const coordinates = part.type === 'Point' ? [part.coordinates] : part.type === 'LineString' ? part.coordinates : part.coordinates.flat();
    for (const [x, y] of coordinates) best = Math.min(best, Math.hypot((x as number) - (point[0] as number), (y as number) - (point[1] as number)));
  }
  return best;
}

/** The distance from `point` to `geometry` in `unit`. */
export function distanceTo(point: Position, geometry: Geometry, unit: DistanceUnit): number {
  if (unit === 'flat') return flatTo(point, geometry);
  const radians = radiansTo(point, geometry);
  return unit === 'metres' ? radians * EARTH_RADIUS_METRES : radians;
}
