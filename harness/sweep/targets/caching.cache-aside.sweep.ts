import jwt from 'jsonwebtoken';
import { useMongo, useRedis } from '../..';
import { createApp } from '../../../solutions/caching/cache-aside/src/app';
import { Product } from '../../../solutions/caching/cache-aside/src/product.model';
import { redisOptions } from '../../../solutions/caching/cache-aside/src/redis';
import { config } from '../../../katas/caching/cache-aside/catalogue-fixture';
import { sweep } from '../sweep';

useMongo();
const redis = useRedis();

sweep('caching/cache-aside', async (log) => {
  const client = redis.createClient(redisOptions({ commandTimeoutMs: 2_000 }));
  const ownerId = '65a1b2c3d4e5f60718293a4b';
  const product = await Product.create({ name: 'Lamp', sku: 'LAMP-1', price: 20, stock: 3, tags: ['home'], ownerId });
  const valid = { name: 'Lamp', sku: 'LAMP-1', price: 25, stock: 2, tags: ['home', 'light'] };
  return {
    app: createApp({ redis: client, config, log }),
    auth: () => ({ authorization: `Bearer ${jwt.sign({ sub: ownerId }, config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 })}` }),
    params: { id: product.id as string },
    bodies: { 'POST /products': valid, 'PUT /products/:id': valid, 'PATCH /products/:id': { price: 30, tags: ['x'] } },
  };
});
