import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Document } from 'mongodb';
import { failure, useConformanceMongo } from './use-conformance-mongo';

const mongo = useConformanceMongo();
/** Numbered documents with a location (GeoJSON in places, legacy pairs in grid). */
interface Located {
  _id: number;
  [field: string]: unknown;
}
const places = () => mongo.db().collection<Located>('places');
const grid = () => mongo.db().collection<Located>('grid');
const ids = (docs: Document[]) => docs.map((doc) => doc._id as number);
const point = (lng: number, lat: number) => ({ type: 'Point', coordinates: [lng, lat] });

const DENVER = point(-104.9903, 39.7392);
const COLORADO = {
  type: 'Polygon',
  coordinates: [[[-109, 41], [-102, 41], [-102, 37], [-109, 37], [-109, 41]]],
};
/** mongod's Earth radius: distances in metres are radians × this. */
const EARTH_RADIUS_KM = 6378.1;

beforeEach(async () => {
  await places().drop().catch(() => undefined);
  await grid().drop().catch(() => undefined);
  await places().insertMany([
    { _id: 1, name: 'Denver', loc: DENVER },
    { _id: 2, name: 'Boulder', loc: point(-105.2705, 40.015) },
    { _id: 3, name: 'Colorado Springs', loc: point(-104.8214, 38.8339) },
    { _id: 4, name: 'Paris', loc: point(2.3522, 48.8566) },
  ]);
});

describe('a 2dsphere index', () => {
  it('is listed with its version, as mongod stores it', async () => {
    await places().createIndex({ loc: '2dsphere' });
    const index = (await places().listIndexes().toArray()).find((spec) => spec.name === 'loc_2dsphere');

    expect(index).toMatchObject({ key: { loc: '2dsphere' }, '2dsphereIndexVersion': 3 });
  });

  it('refuses to build over a document whose location is no geometry (16755), and is not created', async () => {
    await places().insertOne({ _id: 5, loc: { type: 'Point', coordinates: ['east', 1] } });
    const error = await failure(places().createIndex({ loc: '2dsphere' }));

    expect(error.code).toBe(16755);
    expect(error.message).toMatch(/Can't extract geo keys/);
    expect(error.message).toMatch(/Point must only contain numeric elements/);
    expect((await places().listIndexes().toArray()).map((spec) => spec.name)).toEqual(['_id_']);
  });

  it('refuses writes of an unindexable location (16755) and keeps the collection as it was', async () => {
    await places().createIndex({ loc: '2dsphere' });
    const outOfBounds = await failure(places().insertOne({ _id: 5, loc: point(200, 0) }));
    const openLoop = await failure(places().updateOne({ _id: 1 }, { $set: { loc: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } } }));

    expect(outOfBounds.code).toBe(16755);
    expect(outOfBounds.message).toMatch(/longitude\/latitude is out of bounds/);
    expect(openLoop.code).toBe(16755);
    expect(openLoop.message).toMatch(/Loop is not closed/);
    expect(await places().countDocuments()).toBe(4);
    expect(await places().findOne({ _id: 1 })).toMatchObject({ loc: DENVER });
  });

  it('leaves out documents without the field, like a sparse index', async () => {
    await places().insertOne({ _id: 5, name: 'nowhere' });
    await places().createIndex({ loc: '2dsphere' });

    expect(await places().countDocuments()).toBe(5);
  });
});

describe('$near and $nearSphere with GeoJSON (metres on the sphere)', () => {
  it('answer NoQueryExecutionPlans (291) without a geo index', async () => {
    const error = await failure(places().find({ loc: { $near: { $geometry: DENVER } } }).toArray());

    expect(error.code).toBe(291);
    expect(error.message).toMatch(/unable to find index for \$geoNear query/);
  });

  describe('with a 2dsphere index', () => {
    beforeEach(async () => {
      await places().createIndex({ loc: '2dsphere' });
    });

    it('return the documents nearest first', async () => {
      expect(ids(await places().find({ loc: { $near: { $geometry: DENVER } } }).toArray())).toEqual([1, 2, 3, 4]);
      expect(ids(await places().find({ loc: { $nearSphere: { $geometry: point(-104.8, 38.8) } } }).toArray())).toEqual([3, 1, 2, 4]);
    });

    it('take a hint naming the geo index', async () => {
      expect(ids(await places().find({ loc: { $near: { $geometry: DENVER } } }).hint('loc_2dsphere').toArray())).toEqual([1, 2, 3, 4]);
    });

    it('keep to $maxDistance and $minDistance, in metres', async () => {
      // Boulder is 38.9 km from Denver, Colorado Springs 101.8 km (haversine, R = 6378.1 km).
      expect(ids(await places().find({ loc: { $near: { $geometry: DENVER, $maxDistance: 50_000 } } }).toArray())).toEqual([1, 2]);
      expect(ids(await places().find({ loc: { $near: { $geometry: DENVER, $minDistance: 50_000, $maxDistance: 200_000 } } }).toArray())).toEqual([3]);
    });

    it('combine with the rest of the filter, and an explicit sort wins', async () => {
      const filter = { loc: { $near: { $geometry: DENVER } }, name: { $ne: 'Boulder' } };

      expect(ids(await places().find(filter).toArray())).toEqual([1, 3, 4]);
      expect(ids(await places().find(filter).sort({ name: -1 }).toArray())).toEqual([4, 1, 3]);
      expect(ids(await places().find(filter).limit(2).toArray())).toEqual([1, 3]);
    });

    it('may not be nested in $or (BadValue)', async () => {
      const error = await failure(places().find({ $or: [{ loc: { $near: { $geometry: DENVER } } }, { name: 'Paris' }] }).toArray());

      expect(error.code).toBe(2);
      expect(error.message).toMatch(/geoNear must be top-level expr/);
    });

    it('refuse a negative $maxDistance and a non-point $geometry (BadValue)', async () => {
      const negative = await failure(places().find({ loc: { $near: { $geometry: DENVER, $maxDistance: -1 } } }).toArray());
      const polygon = await failure(places().find({ loc: { $near: { $geometry: COLORADO } } }).toArray());

      expect(negative.code).toBe(2);
      expect(polygon.code).toBe(2);
    });
  });
});

describe('$geoWithin', () => {
  it('$geometry: a polygon holds the points inside it, no index needed', async () => {
    expect(ids(await places().find({ loc: { $geoWithin: { $geometry: COLORADO } } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3]);
  });

  it('works inside $or, $not and $elemMatch', async () => {
    const inColorado = { $geoWithin: { $geometry: COLORADO } };
    await places().insertOne({ _id: 5, stops: [{ at: point(2.3, 48.8) }, { at: point(-105, 39.5) }] });

    expect(ids(await places().find({ $or: [{ loc: inColorado }, { name: 'Paris' }] }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 4]);
    expect(ids(await places().find({ loc: { $exists: true, $not: inColorado } }).toArray())).toEqual([4]);
    expect(ids(await places().find({ stops: { $elemMatch: { at: inColorado } } }).toArray())).toEqual([5]);
  });

  it('$geometry: a MultiPolygon holds what any of its polygons holds', async () => {
    const france = [[[-5, 42], [8, 42], [8, 51], [-5, 51], [-5, 42]]];
    const multi = { type: 'MultiPolygon', coordinates: [COLORADO.coordinates, france] };

    expect(ids(await places().find({ loc: { $geoWithin: { $geometry: multi } } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 4]);
  });

  it('$geometry: a line is within only when all of it is', async () => {
    await places().insertMany([
      { _id: 5, loc: { type: 'LineString', coordinates: [[-105, 39], [-104, 40]] } },
      { _id: 6, loc: { type: 'LineString', coordinates: [[-105, 39], [-100, 40]] } },
    ]);

    expect(ids(await places().find({ _id: { $gte: 5 }, loc: { $geoWithin: { $geometry: COLORADO } } }).toArray())).toEqual([5]);
  });

  it('$centerSphere: a radius in radians, holding GeoJSON points and whole lines', async () => {
    const sixtyKm = 60 / EARTH_RADIUS_KM;
    await places().insertMany([
      { _id: 5, loc: { type: 'LineString', coordinates: [DENVER.coordinates, [-105.2705, 40.015]] } },
      { _id: 6, loc: { type: 'LineString', coordinates: [DENVER.coordinates, [2.3522, 48.8566]] } },
    ]);

    expect(ids(await places().find({ loc: { $geoWithin: { $centerSphere: [DENVER.coordinates, sixtyKm] } } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 5]);
  });

  it('refuses a point $geometry, an open loop and an unknown shape (BadValue)', async () => {
    const pointShape = await failure(places().find({ loc: { $geoWithin: { $geometry: DENVER } } }).toArray());
    const open = await failure(places().find({ loc: { $geoWithin: { $geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] } } } }).toArray());
    const unknown = await failure(places().find({ loc: { $geoWithin: { $square: [[0, 0], 1] } } }).toArray());

    expect([pointShape.code, open.code, unknown.code]).toEqual([2, 2, 2]);
    expect(open.message).toMatch(/Loop is not closed/);
  });
});

describe('$geoIntersects', () => {
  it('refuses a big polygon (strict-winding CRS) by name on the embedded engine, which cannot draw one', async () => {
    const crs = { type: 'name', properties: { name: 'urn:x-mongodb:crs:strictwinding:EPSG:4326' } };
    // Counter-clockwise, so that the region is Colorado itself rather than the rest of the Earth.
    const counterClockwise = { type: 'Polygon', coordinates: [[[-109, 41], [-109, 37], [-102, 37], [-102, 41], [-109, 41]]], crs };
    const request = places().find({ loc: { $geoIntersects: { $geometry: counterClockwise } } }).sort({ _id: 1 }).toArray();
    if (mongo.engine !== 'embedded') {
      expect(ids(await request)).toEqual([1, 2, 3]);
      return;
    }
    const error = await failure(request);

    expect(error.code).toBe(2);
    expect(error.message).toMatch(/big-polygon CRS .* not supported by the embedded MongoDB engine/);
  });

  it('matches a point inside a polygon, and a line crossing another', async () => {
    await places().insertOne({ _id: 5, loc: { type: 'LineString', coordinates: [[-106, 39.5], [-103, 39.5]] } });
    const northSouth = { type: 'LineString', coordinates: [[-104, 41], [-104, 38]] };

    expect(ids(await places().find({ loc: { $geoIntersects: { $geometry: COLORADO } } }).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3, 5]);
    expect(ids(await places().find({ loc: { $geoIntersects: { $geometry: northSouth } } }).toArray())).toEqual([5]);
  });

  it('takes the shorter way around: a line from lng -178 to 178 crosses the antimeridian', async () => {
    await places().insertOne({ _id: 5, loc: { type: 'LineString', coordinates: [[-178, 10], [178, 10]] } });
    const atDateLine = { type: 'LineString', coordinates: [[180, 11], [180, 9]] };
    const atGreenwich = { type: 'LineString', coordinates: [[0, 11], [0, 9]] };

    expect(ids(await places().find({ loc: { $geoIntersects: { $geometry: atDateLine } } }).toArray())).toEqual([5]);
    expect(ids(await places().find({ loc: { $geoIntersects: { $geometry: atGreenwich } } }).toArray())).toEqual([]);
  });

  it('refuses a malformed $geometry (BadValue)', async () => {
    const error = await failure(places().find({ loc: { $geoIntersects: { $geometry: { type: 'LineString', coordinates: [[0, 0]] } } } }).toArray());

    expect(error.code).toBe(2);
    expect(error.message).toMatch(/at least 2 vertices/);
  });
});

describe('legacy coordinate pairs on a 2d index (flat)', () => {
  beforeEach(async () => {
    await grid().insertMany([
      { _id: 1, loc: [0, 0] },
      { _id: 2, loc: [3, 4] },
      { _id: 3, loc: { x: 1, y: 1 } },
      { _id: 4, loc: [10, 0] },
    ]);
    await grid().createIndex({ loc: '2d' });
  });

  it('$near orders by coordinate distance and keeps to a sibling $maxDistance', async () => {
    expect(ids(await grid().find({ loc: { $near: [0, 0] } }).toArray())).toEqual([1, 3, 2, 4]);
    expect(ids(await grid().find({ loc: { $near: [0, 0], $maxDistance: 5.5 } }).toArray())).toEqual([1, 3, 2]);
  });

  it('$nearSphere with a legacy pair measures radians', async () => {
    // 10 degrees of longitude on the equator is 0.1745 radians; [3, 4] is about 0.0873.
    expect(ids(await grid().find({ loc: { $nearSphere: [0, 0], $maxDistance: 0.1 } }).toArray())).toEqual([1, 3, 2]);
  });

  it('$box, $center and $polygon are flat shapes', async () => {
    const sorted = { _id: 1 } as const;

    expect(ids(await grid().find({ loc: { $geoWithin: { $box: [[-0.5, -0.5], [3.5, 4.5]] } } }).sort(sorted).toArray())).toEqual([1, 2, 3]);
    expect(ids(await grid().find({ loc: { $geoWithin: { $center: [[0, 0], 5.5] } } }).sort(sorted).toArray())).toEqual([1, 2, 3]);
    expect(ids(await grid().find({ loc: { $geoWithin: { $polygon: [[-1, -1], [4, -1], [-1, 4]] } } }).sort(sorted).toArray())).toEqual([1, 3]);
    expect(ids(await grid().find({ loc: { $within: { $box: [[5, -1], [11, 1]] } } }).toArray())).toEqual([4]);
  });

  it('refuses a point outside [-180, 180) (13027) and a GeoJSON point (13026)', async () => {
    const outside = await failure(grid().insertOne({ _id: 5, loc: [180, 0] }));
    const geoJSON = await failure(grid().insertOne({ _id: 6, loc: point(1, 1) }));

    expect(outside.code).toBe(13027);
    expect(geoJSON.code).toBe(13026);
    expect(await grid().countDocuments()).toBe(4);
  });
});

describe('$geoNear', () => {
  beforeEach(async () => {
    await places().createIndex({ loc: '2dsphere' });
  });

  it('adds the distance in metres, nearest first', async () => {
    const docs = await places().aggregate([{ $geoNear: { near: DENVER, distanceField: 'dist.metres' } }]).toArray();

    expect(ids(docs)).toEqual([1, 2, 3, 4]);
    expect(docs[0]?.dist).toEqual({ metres: 0 });
    // On mongod's sphere of 6378.1 km, not the 6371 km mean radius (which would give 38,888 m).
    expect((docs[1]?.dist as { metres: number }).metres).toBeCloseTo(38_930, -1);
    expect((docs[2]?.dist as { metres: number }).metres / 1000).toBeCloseTo(101.8, 0);
  });

  it('takes query, maxDistance, distanceMultiplier, includeLocs, and later stages', async () => {
    const docs = await places().aggregate([
      {
        $geoNear: {
          near: DENVER,
          distanceField: 'km',
          maxDistance: 150_000,
          query: { name: { $ne: 'Denver' } },
          distanceMultiplier: 0.001,
          includeLocs: 'where',
          key: 'loc',
          spherical: true,
        },
      },
      { $project: { km: { $round: ['$km', 0] }, where: 1 } },
    ]).toArray();

    expect(docs).toEqual([
      { _id: 2, km: 39, where: point(-105.2705, 40.015) },
      { _id: 3, km: 102, where: point(-104.8214, 38.8339) },
    ]);
  });

  it('with a legacy near and spherical: true measures radians', async () => {
    const docs = await places().aggregate([{ $geoNear: { near: [-104.9903, 39.7392], distanceField: 'rad', spherical: true, maxDistance: 0.01 } }]).toArray();

    expect(ids(docs)).toEqual([1, 2]);
    expect((docs[1]?.rad as number) * EARTH_RADIUS_KM).toBeCloseTo(38.9, 0);
  });

  it('must be the first stage (40602)', async () => {
    const error = await failure(places().aggregate([{ $match: {} }, { $geoNear: { near: DENVER, distanceField: 'd' } }]).toArray());

    expect(error.code).toBe(40602);
  });

  it('needs a geo index (IndexNotFound, 27)', async () => {
    await places().dropIndex('loc_2dsphere');
    const error = await failure(places().aggregate([{ $geoNear: { near: DENVER, distanceField: 'd' } }]).toArray());

    expect(error.code).toBe(27);
    expect(error.message).toMatch(/\$geoNear requires a 2d or 2dsphere index/);
  });

  it('is refused as $near inside $match (BadValue)', async () => {
    const error = await failure(places().aggregate([{ $match: { loc: { $near: { $geometry: DENVER } } } }]).toArray());

    expect(error.code).toBe(2);
  });
});
