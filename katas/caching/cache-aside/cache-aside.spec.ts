import { afterEach, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { expectProblem, useMongo, useRedis } from '../../../harness';
import { alice, bearer, bob, config, seedProduct, useCatalogue } from './catalogue-fixture';
import { keys } from './src/keys';
import { Product } from './src/product.model';

useMongo();
const redis = useRedis();
const catalogue = useCatalogue(redis);

const api = () => request(catalogue.app);

describe('1. Cache a product, dates and all', () => {
  it('answers a MISS from MongoDB, then a HIT from Redis with exactly the same body', async () => {
    const id = await seedProduct();
    const stored = await Product.findById(id).lean();

    const miss = await api().get(`/products/${id}`);
    const hit = await api().get(`/products/${id}`);

    expect([miss.status, miss.headers['x-cache']]).toEqual([200, 'MISS']);
    expect(miss.body).toMatchObject({ id, ownerId: alice, createdAt: stored!.createdAt.toISOString() });
    expect([hit.status, hit.headers['x-cache']]).toEqual([200, 'HIT']);
    expect(hit.body).toEqual(miss.body);
  });

  it('caches under a versioned key, with TTLs between ttl and ttl + jitter, spread across keys', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => seedProduct()));
    // When each key was written, bracketed by the request that wrote it: on a busy
    // machine the keys are cached seconds apart, so remaining TTLs differ even
    // without jitter. The TTL each key was *given* is its absolute expiry minus
    // the moment it was cached, whatever the machine's speed.
    const cachedBetween: Array<[number, number]> = [];
    for (const id of ids) {
      const before = Date.now();
      await api().get(`/products/${id}`).expect(200).expect('X-Cache', 'MISS');
      cachedBetween.push([before, Date.now()]);
    }

    const keys = await catalogue.client.keys('*');
    const itemKeys = ids.map((id) => keys.find((key) => key.includes(id)));
    expect(itemKeys.every((key) => key !== undefined && /(^|:)v\d+:/.test(key))).toBe(true);
    const expiries = await Promise.all(itemKeys.map((key) => catalogue.client.pexpiretime(key!)));
    const { ttlSeconds, jitterSeconds } = config.cache;
    // The whole-second TTLs each key may have been given, between ttl and ttl + jitter.
    const possibleTtls = expiries.map((expiresAt, i) => {
      const [before, after] = cachedBetween[i]!;
      const seconds: number[] = [];
      for (let s = ttlSeconds; s <= ttlSeconds + jitterSeconds; s++) if (expiresAt - s * 1000 >= before - 10 && expiresAt - s * 1000 <= after + 10) seconds.push(s);
      return seconds;
    });
    expect(possibleTtls.every((seconds) => seconds.length > 0)).toBe(true);
    // Spread: no single TTL explains every key (a fixed TTL always would).
    const sharedByAll = possibleTtls.reduce((shared, seconds) => shared.filter((s) => seconds.includes(s)));
    expect(sharedByAll).toEqual([]);
  });

  it('leaves the TTL alone on a hit: a hit does not extend the entry', async () => {
    const id = await seedProduct();
    await api().get(`/products/${id}`).expect('X-Cache', 'MISS');
    const key = (await catalogue.client.keys('*')).find((k) => k.includes(id) && !k.endsWith('generation'));
    await catalogue.client.expire(key!, 3);

    await api().get(`/products/${id}`).expect(200).expect('X-Cache', 'HIT');
    const ttl = await catalogue.client.ttl(key!);

    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3);
  });
});

describe('2. Remember a 404 briefly', () => {
  describe('when the product does not exist', () => {
    it('remembers the 404 briefly: a repeat is a HIT, under a key with the short negative TTL', async () => {
      const id = '65a1b2c3d4e5f60718293a4b';

      const first = await api().get(`/products/${id}`);
      const second = await api().get(`/products/${id}`);

      expect([first.status, first.headers['x-cache']]).toEqual([404, 'MISS']);
      expect([second.status, second.headers['x-cache'], second.body.code]).toEqual([404, 'HIT', 'resource.not_found']);
      const key = (await catalogue.client.keys('*')).find((k) => k.includes(id));
      expect(key).toBeDefined();
      const ttl = await catalogue.client.ttl(key!);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(config.cache.negativeTtlSeconds);
    });

    it('does not hide the product once PUT creates it at that id', async () => {
      const id = '65a1b2c3d4e5f60718293a4c';
      await api().get(`/products/${id}`).expect(404);
      await api().get(`/products/${id}`).expect(404).expect('X-Cache', 'HIT');

      await api()
        .put(`/products/${id}`)
        .set('Authorization', bearer(alice))
        .send({ name: 'Late arrival', sku: 'LATE-1', price: 5, stock: 1, tags: [] })
        .expect(201);
      const res = await api().get(`/products/${id}`);

      expect([res.status, res.headers['x-cache'], res.body.name]).toEqual([200, 'MISS', 'Late arrival']);
    });
  });
});

describe('3. Cache lists, per user, and invalidate them on every write', () => {
  it('answers the same query from the cache, whatever the order of its parameters', async () => {
    await seedProduct({ tags: ['sale'] });

    const miss = await api().get('/products?tag=sale&limit=5');
    const hit = await api().get('/products?limit=5&tag=sale');

    expect([miss.status, miss.headers['x-cache'], miss.body.items]).toEqual([200, 'MISS', [expect.objectContaining({ tags: ['sale'] })]]);
    expect([hit.status, hit.headers['x-cache'], hit.body]).toEqual([200, 'HIT', miss.body]);
  });

  describe('writes invalidate every affected key, lists included', () => {
    /** Reads the item, a tag list and the owner's list twice each, so all three are cached. */
    async function warm(id: string) {
      for (let i = 0; i < 2; i += 1) {
        await api().get(`/products/${id}`).expect(200);
        await api().get('/products?tag=sale').expect(200);
        await api().get('/me/products').set('Authorization', bearer(alice)).expect(200);
      }
      await api().get(`/products/${id}`).expect('X-Cache', 'HIT');
      await api().get('/products?tag=sale').expect('X-Cache', 'HIT');
    }

    async function readAll(id: string) {
      const item = await api().get(`/products/${id}`);
      const list = await api().get('/products?tag=sale');
      const mine = await api().get('/me/products').set('Authorization', bearer(alice));
      return { item, list, mine };
    }

    describe('when PATCH changes the price', () => {
      it('the item, the tag list and the owner list all answer the new price', async () => {
        const id = await seedProduct({ tags: ['sale'], price: 10 });
        await warm(id);

        await api().patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 7 }).expect(200);
        const { item, list, mine } = await readAll(id);

        expect([item.headers['x-cache'], item.body.price]).toEqual(['MISS', 7]);
        expect([list.headers['x-cache'], list.body.items[0].price]).toEqual(['MISS', 7]);
        expect([mine.headers['x-cache'], mine.body.items[0].price]).toEqual(['MISS', 7]);
      });
    });

    describe('when PUT replaces the product', () => {
      it('the item and the lists answer the replacement', async () => {
        const id = await seedProduct({ tags: ['sale'], price: 10 });
        await warm(id);

        await api()
          .put(`/products/${id}`)
          .set('Authorization', bearer(alice))
          .send({ name: 'Replaced', sku: 'R-1', price: 3, stock: 9, tags: ['sale', 'new'] })
          .expect(200);
        const { item, list, mine } = await readAll(id);

        expect([item.headers['x-cache'], item.body.name, item.body.price]).toEqual(['MISS', 'Replaced', 3]);
        expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['Replaced']);
        expect(mine.body.items.map((p: { name: string }) => p.name)).toEqual(['Replaced']);
      });
    });

    describe('when DELETE removes the product', () => {
      it('the item answers 404 and no list still shows it', async () => {
        const id = await seedProduct({ tags: ['sale'] });
        await warm(id);

        await api().delete(`/products/${id}`).set('Authorization', bearer(alice)).expect(204);
        const { item, list, mine } = await readAll(id);

        expect([item.status, item.headers['x-cache']]).toEqual([404, 'MISS']);
        expect([list.status, list.body.items]).toEqual([200, []]);
        expect([mine.status, mine.body.items]).toEqual([200, []]);
      });
    });

    describe('when another instance of the app writes', () => {
      it("this instance's cached item and lists answer the write: the list generation is read from Redis, not remembered", async () => {
        const id = await seedProduct({ tags: ['sale'], price: 10 });
        await warm(id);

        await request(catalogue.recreate()).patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 7 }).expect(200);
        const { item, list, mine } = await readAll(id);

        expect([item.headers['x-cache'], item.body.price]).toEqual(['MISS', 7]);
        expect([list.headers['x-cache'], list.body.items[0].price]).toEqual(['MISS', 7]);
        expect([mine.headers['x-cache'], mine.body.items[0].price]).toEqual(['MISS', 7]);
      });
    });

    describe('when POST creates a product', () => {
      it('cached lists include it', async () => {
        const id = await seedProduct({ tags: ['sale'] });
        await warm(id);

        const created = await api()
          .post('/products')
          .set('Authorization', bearer(alice))
          .send({ name: 'Newcomer', sku: 'N-1', price: 4, stock: 2, tags: ['sale'] })
          .expect(201);
        const { list, mine } = await readAll(id);

        expect(list.headers['x-cache']).toBe('MISS');
        expect(list.body.items.map((p: { id: string }) => p.id).sort()).toEqual([id, created.body.id].sort());
        expect(mine.body.items).toHaveLength(2);
      });
    });
  });

  describe('GET /me/products (the answer varies by user)', () => {
    it("caches each user's list for that user only: never served to another user", async () => {
      const alicesProduct = await seedProduct({ ownerId: alice });
      const bobsProduct = await seedProduct({ ownerId: bob });

      const aliceFirst = await api().get('/me/products').set('Authorization', bearer(alice));
      const aliceAgain = await api().get('/me/products').set('Authorization', bearer(alice));
      const bobFirst = await api().get('/me/products').set('Authorization', bearer(bob));

      expect([aliceFirst.headers['x-cache'], aliceFirst.body.items.map((p: { id: string }) => p.id)]).toEqual(['MISS', [alicesProduct]]);
      expect([aliceAgain.headers['x-cache'], aliceAgain.body]).toEqual(['HIT', aliceFirst.body]);
      expect([bobFirst.status, bobFirst.body.items.map((p: { id: string }) => p.id)]).toEqual([200, [bobsProduct]]);
    });
  });

  describe('when a write sends tags that are not an array of strings', () => {
    it.each([['null', null], ['a string', 'sale'], ['an array with a number', ['sale', 7]]])(
      'answers 400 for %s, stores nothing, and the product keeps being served from the cache',
      async (_label, tags) => {
        const id = await seedProduct({ tags: ['sale'], price: 10 });

        const patch = await api().patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ tags });
        const put = await api()
          .put(`/products/${id}`)
          .set('Authorization', bearer(alice))
          .send({ name: 'Replaced', sku: 'R-3', price: 3, stock: 1, tags });
        const miss = await api().get(`/products/${id}`);
        const hit = await api().get(`/products/${id}`);
        const list = await api().get('/products?tag=sale');

        expectProblem(patch, 400, 'validation.failed');
        expectProblem(put, 400, 'validation.failed');
        expect([miss.status, miss.headers['x-cache'], miss.body.tags, miss.body.price]).toEqual([200, 'MISS', ['sale'], 10]);
        expect([hit.status, hit.headers['x-cache'], hit.body]).toEqual([200, 'HIT', miss.body]);
        expect([list.status, list.body.items.map((p: { id: string }) => p.id)]).toEqual([200, [id]]);
      },
    );
  });
});

describe('5. Never put back what a write made stale', () => {
  describe('when a write lands while a miss is still loading (a stale write-back)', () => {
    /**
     * Holds the app's next `Product.findById` once MongoDB has answered it: the
     * loader has read the document as it was, and that answer reaches the cache
     * only after `release()`. `read` settles when the document has been read.
     */
    function holdNextProductRead() {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let markRead!: () => void;
      const read = new Promise<void>((resolve) => (markRead = resolve));
      const findById = Product.findById.bind(Product);
      jest.spyOn(Product, 'findById').mockImplementationOnce(((...args: Parameters<typeof findById>) => {
        const query = findById(...args);
        const exec = query.exec.bind(query);
        query.exec = async () => {
          const document = await exec();
          markRead();
          await gate;
          return document;
        };
        return query;
      }) as typeof findById);
      return { read, release };
    }

    /** Resolves once the route of the next GET /products/:id has named its key, i.e. is asking the cache. */
    function nextItemRead() {
      const item = keys.item.bind(keys);
      return new Promise<void>((resolve) => {
        jest.spyOn(keys, 'item').mockImplementationOnce((id) => {
          resolve();
          return item(id);
        });
      });
    }

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('a load that read the old document before PATCH does not put it back: the next reads answer the new price', async () => {
      const id = await seedProduct({ price: 10 });
      const hold = holdNextProductRead();
      const held = api().get(`/products/${id}`).then((res) => res); // then() sends it
      await Promise.race([hold.read, held]);

      await api().patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 7 }).expect(200);
      hold.release();
      const during = await held;
      const after = await api().get(`/products/${id}`);
      const again = await api().get(`/products/${id}`);

      expect(during.status).toBe(200);
      expect([after.status, after.headers['x-cache'], after.body.price]).toEqual([200, 'MISS', 7]);
      expect([again.status, again.headers['x-cache'], again.body.price]).toEqual([200, 'HIT', 7]);
    });

    it('a request arriving after PUT does not join the load that started before it', async () => {
      const id = await seedProduct({ price: 10 });
      const hold = holdNextProductRead();
      const held = api().get(`/products/${id}`).then((res) => res); // then() sends it
      await Promise.race([hold.read, held]);

      await api()
        .put(`/products/${id}`)
        .set('Authorization', bearer(alice))
        .send({ name: 'Repriced', sku: 'R-2', price: 7, stock: 3, tags: [] })
        .expect(200);
      // The later request reaches the cache while the first load is still held.
      const asking = nextItemRead();
      const later = api().get(`/products/${id}`).then((res) => res);
      await asking;
      hold.release();
      const [during, after] = await Promise.all([held, later]);
      const again = await api().get(`/products/${id}`);

      expect(during.status).toBe(200);
      expect([after.status, after.body.name, after.body.price]).toEqual([200, 'Repriced', 7]);
      expect([again.status, again.headers['x-cache'], again.body.price]).toEqual([200, 'HIT', 7]);
    });
  });

  it('lets the per-item counters a write leaves behind expire', async () => {
    const id = await seedProduct({ price: 10 });
    await api().get(`/products/${id}`).expect(200);

    await api().patch(`/products/${id}`).set('Authorization', bearer(alice)).send({ price: 7 }).expect(200);
    const counters = (await catalogue.client.keys('*')).filter((key) => key.includes(id) && key !== keys.item(id));
    const ttls = await Promise.all(counters.map((key) => catalogue.client.ttl(key)));

    expect(counters).toHaveLength(1);
    expect(ttls[0]).toBeGreaterThan(0);
  });
});
