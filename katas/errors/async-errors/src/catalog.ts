import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { HttpError } from './http-error';

export interface Product {
  sku: string;
  name: string;
}

/**
 * The product catalog, as the app sees it. Its parts come from different eras,
 * and fail in different ways:
 * - `findProduct` and `price` return promises;
 * - `stockLevel` is a callback API (a legacy warehouse client);
 * - `priceUpdates` is an event emitter ('price' events, or 'error');
 * - `exportCsv` is a readable stream (which can emit 'error' too).
 */
export interface Catalog {
  findProduct(sku: string): Promise<Product | undefined>;
  price(sku: string): Promise<number>;
  stockLevel(sku: string, done: (err: Error | null, count?: number) => void): void;
  priceUpdates(sku: string): EventEmitter;
  exportCsv(): Readable;
}

/** An in-memory catalog; like a real one, it answers on a later turn of the event loop. */
export function createMemoryCatalog(products: Array<Product & { price: number; stock: number }> = []): Catalog {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const unknown = (sku: string) => new HttpError(404, 'product.not_found', `No product with SKU ${JSON.stringify(sku)}.`);
  return {
    async findProduct(sku) {
      const product = bySku.get(sku);
      return product && { sku: product.sku, name: product.name };
    },
    async price(sku) {
      const product = bySku.get(sku);
      if (!product) throw unknown(sku);
      return product.price;
    },
    stockLevel(sku, done) {
      setImmediate(() => {
        const product = bySku.get(sku);
        if (product) done(null, product.stock);
        else done(unknown(sku));
      });
    },
    priceUpdates(sku) {
      const updates = new EventEmitter();
      setImmediate(() => {
        const product = bySku.get(sku);
        if (product) updates.emit('price', product.price);
        else updates.emit('error', unknown(sku));
      });
      return updates;
    },
    exportCsv() {
      const rows = [...bySku.values()].map((product) => `${product.sku},${product.name},${product.price}\n`);
      return Readable.from(['sku,name,price\n', ...rows]);
    },
  };
}
