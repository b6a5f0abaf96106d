import type { Collection, Types } from 'mongoose';
import { Types as MongoTypes } from 'mongoose';

/** The tags of the catalogue: a list page per tag. */
export const catalogueTags = Array.from({ length: 20 }, (_, i) => `tag-${String(i).padStart(2, '0')}`);

const batchSize = 5_000;

/**
 * Seeds `products` products in bulk: the driver's insertMany in unordered
 * batches, skipping Mongoose's per-document casting and validation (what it
 * would check is built right here), so 50,000 take seconds, not minutes.
 * Each product has one to three tags and a price from 1.00 to 500.00; their
 * creation dates are a second apart, so list pages have a stable order.
 */
export async function seedCatalogue(collection: Collection, { products, ownerId }: { products: number; ownerId: Types.ObjectId }) {
  const started = performance.now();
  const ids: string[] = [];
  const epoch = Date.UTC(2026, 0, 1);
  for (let from = 0; from < products; from += batchSize) {
    const docs = [];
    for (let i = from; i < Math.min(products, from + batchSize); i += 1) {
      const _id = new MongoTypes.ObjectId();
      ids.push(_id.toHexString());
      const tagCount = 1 + (i % 3);
      const date = new Date(epoch + i * 1_000);
      docs.push({
        _id,
        name: `Product ${i}`,
        sku: `PERF-${String(i).padStart(6, '0')}`,
        price: 1 + ((i * 7_919) % 50_000) / 100,
        stock: i % 100,
        tags: Array.from({ length: tagCount }, (_, k) => catalogueTags[(i + k * 7) % catalogueTags.length]!),
        ownerId,
        createdAt: date,
        updatedAt: date,
        __v: 0,
      });
    }
    await collection.insertMany(docs, { ordered: false });
  }
  return { ids, tags: catalogueTags, ms: Math.round(performance.now() - started) };
}
