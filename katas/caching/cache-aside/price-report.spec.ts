import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useMongo, useRedis } from '../../../harness';
import { alice, bearer, seedProduct, useCatalogue } from './catalogue-fixture';

useMongo();
const redis = useRedis();
const catalogue = useCatalogue(redis);

const api = () => request(catalogue.app);

/** The report of a small catalogue whose figures are easy to check by hand. */
async function seedCatalogue() {
  const ids = {
    both: await seedProduct({ tags: ['sale', 'new'], price: 10 }),
    sale: await seedProduct({ tags: ['sale'], price: 20 }),
    dear: await seedProduct({ tags: ['sale'], price: 35.5 }),
    fresh: await seedProduct({ tags: ['new'], price: 7.25 }),
    untagged: await seedProduct({ tags: [], price: 999 }),
  };
  return ids;
}

const report = {
  tags: [
    { tag: 'new', products: 2, minPrice: 7.25, maxPrice: 10, avgPrice: 8.63 },
    { tag: 'sale', products: 3, minPrice: 10, maxPrice: 35.5, avgPrice: 21.83 },
  ],
};

/** Reads the report twice and checks the second read came from the cache. */
async function warmReport() {
  await api().get('/products/stats').expect(200);
  const hit = await api().get('/products/stats');
  expect([hit.status, hit.headers['x-cache']]).toEqual([200, 'HIT']);
}

describe('3. Cache lists, per user, and invalidate them on every write', () => {
  describe('GET /products/stats (the price report, over the whole catalogue)', () => {
    it('answers per-tag price statistics: a MISS from MongoDB, then a HIT with exactly the same body', async () => {
      await seedCatalogue();

      const miss = await api().get('/products/stats');
      const hit = await api().get('/products/stats');

      expect([miss.status, miss.headers['x-cache'], miss.body]).toEqual([200, 'MISS', report]);
      expect([hit.status, hit.headers['x-cache'], hit.body]).toEqual([200, 'HIT', report]);
    });

    it('a fresh app on the same Redis answers the cached report: the cache is shared, not in process', async () => {
      await seedCatalogue();
      await warmReport();

      const other = await request(catalogue.recreate()).get('/products/stats');

      expect([other.status, other.headers['x-cache'], other.body]).toEqual([200, 'HIT', report]);
    });

    describe('writes leave the cached report behind', () => {
      it('PATCH of a price: the next report is computed again with the new price', async () => {
        const ids = await seedCatalogue();
        await warmReport();

        await api().patch(`/products/${ids.dear}`).set('Authorization', bearer(alice)).send({ price: 5 }).expect(200);
        const after = await api().get('/products/stats');

        expect(after.headers['x-cache']).toBe('MISS');
        expect(after.body.tags[1]).toEqual({ tag: 'sale', products: 3, minPrice: 5, maxPrice: 20, avgPrice: 11.67 });
      });

      it('POST of a product with a new tag: the tag appears', async () => {
        await seedCatalogue();
        await warmReport();

        await api()
          .post('/products')
          .set('Authorization', bearer(alice))
          .send({ name: 'Clearance', sku: 'C-1', price: 1, stock: 3, tags: ['clearance'] })
          .expect(201);
        const after = await api().get('/products/stats');

        expect(after.body.tags.map((t: { tag: string }) => t.tag)).toEqual(['clearance', 'new', 'sale']);
      });

      it('DELETE of a product: it no longer counts', async () => {
        const ids = await seedCatalogue();
        await warmReport();

        await api().delete(`/products/${ids.fresh}`).set('Authorization', bearer(alice)).expect(204);
        const after = await api().get('/products/stats');

        expect(after.body.tags[0]).toEqual({ tag: 'new', products: 1, minPrice: 10, maxPrice: 10, avgPrice: 10 });
      });

      it('PUT that creates a product at a new id: it counts', async () => {
        await seedCatalogue();
        await warmReport();

        await api()
          .put('/products/6650f0a1b2c3d4e5f6a7b8c9')
          .set('Authorization', bearer(alice))
          .send({ name: 'Late', sku: 'L-1', price: 1, stock: 1, tags: ['new'] })
          .expect(201);
        const after = await api().get('/products/stats');

        expect(after.body.tags[0]).toEqual({ tag: 'new', products: 3, minPrice: 1, maxPrice: 10, avgPrice: 6.08 });
      });
    });
  });
});
