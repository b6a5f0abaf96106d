import express from 'express';
import { isValidObjectId } from 'mongoose';
import { notFound, notFoundHandler, problemHandler, requestId, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import type { Cache } from './cache';
import { Product } from './product.model';

export interface AppDeps {
  /** Where this instance keeps product answers: local, Redis, or both (see cache.ts). */
  cache: Cache;
  /** Where unexpected errors are reported (the problem handler's log). */
  log?: ProblemOptions['log'];
}

interface ProductBody {
  id: string;
  name: string;
  price: number;
}

/**
 * A product API whose reads go through a cache. The routes are finished; what
 * differs between a local and a distributed cache lives in cache.ts.
 */
export function createApp({ cache, log }: AppDeps): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json());

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/products/:id', async (req, res) => {
    const id = productId(req.params.id);
    const key = `product:${id}`;
    const cached = await cache.get(key);
    if (cached !== undefined) {
      res.set('X-Cache', 'HIT').json(JSON.parse(cached) as ProductBody);
      return;
    }
    const product = await Product.findById(id).lean();
    if (!product) throw notFound(`Product ${id}`);
    const body: ProductBody = { id, name: product.name, price: product.price };
    await cache.set(key, JSON.stringify(body));
    res.set('X-Cache', 'MISS').json(body);
  });

  app.patch('/products/:id', async (req, res) => {
    const id = productId(req.params.id);
    const { price } = (req.body ?? {}) as { price?: unknown };
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      throw validationFailed({ price: 'must be a number of at least 0' });
    }
    const product = await Product.findByIdAndUpdate(id, { $set: { price } }, { returnDocument: 'after' }).lean();
    if (!product) throw notFound(`Product ${id}`);
    // The write path drops the cached answer; which instances that reaches
    // depends on where the cache lives.
    await cache.delete(`product:${id}`);
    res.json({ id, name: product.name, price: product.price } satisfies ProductBody);
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}

function productId(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string' || !isValidObjectId(raw)) throw validationFailed({ id: 'must be a 24-character hex ObjectId' });
  return raw;
}
