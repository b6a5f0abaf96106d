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
  app.get('/products.csv', (_req, res) => {
    res.type('text/csv');
    // TODO: nobody listens for the export stream's 'error' event, so a failing export crashes the process.
    catalog.exportCsv().pipe(res);
  });

  // A native async route: Express 5 awaits the promise it returns.
  app.get('/products/:sku', async (req, res) => {
    // TODO: this catch turns every failure (an outage, a bug) into a 404, and a pricing outage should not fail the request at all.
    try {
      const product = await catalog.findProduct(req.params.sku);
      if (!product) throw new HttpError(404, 'product.not_found', `No product with SKU ${JSON.stringify(req.params.sku)}.`);
      const price = await catalog.price(product.sku);
      res.json({ ...product, price });
    } catch {
      res.status(404).json({ code: 'product.not_found', message: `No product with SKU ${JSON.stringify(req.params.sku)}.` });
    }
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
  app.get('/products/:sku/price-updates/next', (req, res) => {
    const updates = catalog.priceUpdates(req.params.sku);
    // TODO: an 'error' event with no listener is thrown by emit(): an uncaught exception that crashes the process.
    updates.once('price', (price: number) => {
      res.json({ sku: req.params.sku, price });
    });
  });

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
