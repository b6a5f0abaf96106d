import { afterAll } from '@jest/globals';
import { useMongo, useRedis } from '../..';
import { createApp } from '../../../solutions/caching/pubsub-and-structures/src/app';
import { createInvalidationBus, type InvalidationBus } from '../../../solutions/caching/pubsub-and-structures/src/invalidation';
import { Product } from '../../../solutions/caching/pubsub-and-structures/src/product.model';
import { sweep } from '../sweep';

useMongo();
const redis = useRedis();
let bus: InvalidationBus | undefined;
afterAll(async () => bus?.close());

sweep('caching/pubsub-and-structures', async (log) => {
  bus = createInvalidationBus(redis.createClient());
  await bus.start();
  const product = await Product.create({ name: 'Lamp', price: 20 });
  return {
    app: createApp({ bus, log }),
    params: { id: product.id as string },
    bodies: { 'PATCH /products/:id': { price: 30 } },
  };
});
