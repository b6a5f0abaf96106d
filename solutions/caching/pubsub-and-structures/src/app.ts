import express from 'express';
import { LRUCache } from 'lru-cache';
import { isValidObjectId } from 'mongoose';
import { notFound, notFoundHandler, problemHandler, requestId, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import type { InvalidationBus } from './invalidation';
import { Product } from './product.model';

export interface AppDeps {
  /** Started by the caller; the app listens to it and publishes on it. */
  bus: InvalidationBus;
  log?: ProblemOptions['log'];
}

interface ProductBody {
  id: string;
  name: string;
  price: number;
}

/**
 * Products served from a local cache in each instance. The local copies can
 * live long because every write is broadcast: each instance drops its copy
 * as soon as the message arrives, instead of waiting for a TTL.
 */
export function createApp({ bus, log }: AppDeps): express.Express {
  const cache = new LRUCache<string, ProductBody>({ max: 1_000, ttl: 10 * 60_000 });
  bus.onInvalidate((key) => cache.delete(key));

  const app = express();
  app.use(requestId());
  app.use(express.json());

  app.get('/products/:id', async (req, res) => {
    const id = productId(req.params.id);
    const cached = cache.get(`product:${id}`);
    if (cached) {
      res.set('X-Cache', 'HIT').json(cached);
      return;
    }
    const product = await Product.findById(id).lean();
    if (!product) throw notFound(`Product ${id}`);
    const body = { id, name: product.name, price: product.price };
    cache.set(`product:${id}`, body);
    res.set('X-Cache', 'MISS').json(body);
  });

  app.patch('/products/:id', async (req, res) => {
    const id = productId(req.params.id);
    const { price } = (req.body ?? {}) as { price?: unknown };
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw validationFailed({ price: 'must be a number of at least 0' });
    const product = await Product.findByIdAndUpdate(id, { $set: { price } }, { returnDocument: 'after' }).lean();
    if (!product) throw notFound(`Product ${id}`);
    cache.delete(`product:${id}`);
    await bus.publish(`product:${id}`);
    res.json({ id, name: product.name, price: product.price });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}

function productId(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string' || !isValidObjectId(raw)) throw validationFailed({ id: 'must be a 24-character hex ObjectId' });
  return raw;
}
