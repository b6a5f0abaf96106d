import { useMongo, useRedis } from '../..';
import { createApp } from '../../../solutions/caching/local-vs-distributed/src/app';
import { createLocalCache, createRedisCache, createTwoLevelCache } from '../../../solutions/caching/local-vs-distributed/src/cache';
import { Product } from '../../../solutions/caching/local-vs-distributed/src/product.model';
import { sweep } from '../sweep';

useMongo();
const redis = useRedis();

sweep('caching/local-vs-distributed', async (log) => {
  const product = await Product.create({ name: 'Lamp', price: 20 });
  const cache = createTwoLevelCache(createLocalCache({ max: 100, ttlMs: 60_000, now: Date.now }), createRedisCache(redis.createClient(), { ttlSeconds: 60 }));
  return {
    app: createApp({ cache, log }),
    params: { id: product.id as string },
    bodies: { 'PATCH /products/:id': { price: 30 } },
  };
});
