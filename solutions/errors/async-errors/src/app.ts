import { once } from 'node:events';
import express from 'express';
import { asyncHandler } from './async-handler';
import { createMemoryCatalog, type Catalog } from './catalog';
import { errorHandler, notFound, type Logger } from './error-handler';
import { HttpError } from './http-error';
import { stockLevel, withDeadline } from './legacy';

export type { Logger } from './error-handler';

export interface AppOptions {
  catalog?: Catalog;
  logger?: Logger;
  /** How long the warehouse may take to report a stock level. */
  stockDeadlineMs?: number;
}

/** A product API over a catalog whose parts fail in every asynchronous style. */
export function createApp({ catalog = createMemoryCatalog(), logger = console, stockDeadlineMs = 2_000 }: AppOptions = {}): express.Express {
  const app = express();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // A stream of every product as CSV.
  app.get('/products.csv', (_req, res, next) => {
    res.type('text/csv');
    const rows = catalog.exportCsv();
    // pipe() does not forward errors, and an 'error' event nobody listens to is
    // thrown. Handing it to next() lets the error middleware answer JSON if
    // nothing was sent yet, or abort the response if rows already went out.
    rows.on('error', next);
    rows.pipe(res);
  });

  // A native async route: Express 5 awaits the promise it returns.
  app.get('/products/:sku', async (req, res) => {
    // No try/catch around the whole route: Express 5 passes a rejection of this
    // handler to next(err) (an empty rejection becomes an Error), so an outage
    // keeps its own status and a bug becomes a 500.
    const product = await catalog.findProduct(req.params.sku);
    if (!product) throw new HttpError(404, 'product.not_found', `No product with SKU ${JSON.stringify(req.params.sku)}.`);
    let price: number | null;
    try {
      price = await catalog.price(product.sku);
    } catch (error) {
      // Catch only what we can handle: without prices the product is still
      // worth showing. Anything else is not ours to hide.
      if ((error as { code?: unknown } | null)?.code !== 'pricing.unavailable') throw error;
      price = null;
    }
    res.json({ ...product, price });
  });

  // The legacy warehouse API, wrapped in a promise, behind asyncHandler.
  app.get(
    '/products/:sku/stock',
    asyncHandler(async (req, res) => {
      const sku = String(req.params.sku);
      const count = await withDeadline(stockLevel(catalog, sku), stockDeadlineMs, 'The warehouse');
      res.json({ sku, count });
    }),
  );

  // Long polling: answers with the next price update for a product.
  app.get('/products/:sku/price-updates/next', async (req, res) => {
    // events.once() resolves with the first 'price' and rejects on 'error' (it
    // listens for both), turning the emitter's failure into a rejection that
    // Express 5 forwards like any other.
    const [price] = (await once(catalog.priceUpdates(req.params.sku), 'price')) as [number];
    res.json({ sku: req.params.sku, price });
  });

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
