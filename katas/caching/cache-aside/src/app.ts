import express, { type Request } from 'express';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { isValidObjectId, Types } from 'mongoose';
import { notFound, notFoundHandler, problemHandler, requestId, unauthenticated, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import { createProductCache, type CacheConfig } from './cache';
import { keys } from './keys';
import { Product } from './product.model';

export interface AppConfig {
  /** HS256 secret of the access tokens (issued by the auth service of phase 2). */
  jwtSecret: string;
  cache: CacheConfig;
}

export interface AppDeps {
  /** The app's Redis client, created with redisOptions() (redis.ts). */
  redis: Redis;
  config: AppConfig;
  /** For the TTL jitter; defaults to Math.random. */
  random?: () => number;
  /** Where unexpected errors are reported (the problem handler's log). */
  log?: ProblemOptions['log'];
}

/** What a client sees of a product. */
export interface ProductBody {
  id: string;
  name: string;
  sku: string;
  price: number;
  stock: number;
  tags: string[];
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

interface ProductRecord {
  _id: Types.ObjectId;
  name: string;
  sku: string;
  price: number;
  stock: number;
  tags: string[];
  ownerId: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

const writableFields = ['name', 'sku', 'price', 'stock', 'tags'] as const;

/** The product catalogue API, its reads cached in Redis (cache-aside). */
export function createApp({ redis, config, random, log }: AppDeps): express.Express {
  const cache = createProductCache({ redis, config: config.cache, random });
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '20kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Registered before /products/:id, which would otherwise read "stats" as an id.
  app.get('/products/stats', async (_req, res) => {
    // TODO: this report reads every product on every request: cache it (X-Cache: HIT|MISS) as the lists are, as the JSON text it is sent as, so that every write leaves it behind.
    res.set('X-Cache', 'MISS').json({ tags: await priceStatsByTag() });
  });

  app.get('/products/:id', async (req, res) => {
    const id = objectId(req.params.id);
    const { value, status } = await cache.read(keys.item(id), () => Product.findById(id).lean<ProductRecord>().exec());
    res.set('X-Cache', status);
    if (!value) throw notFound(`Product ${id}`);
    res.json(toBody(value));
  });

  app.get('/products', async (req, res) => {
    const { tag, limit } = listQuery(req);
    // A normalised name: ?limit=5&tag=a and ?tag=a&limit=5 are one entry.
    const name = `all:tag=${tag ?? ''}:limit=${limit}`;
    const filter = tag ? { tags: tag } : {};
    const { value, status } = await cache.readList(name, () =>
      Product.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<ProductRecord[]>().exec().then(listJson),
    );
    sendJson(res.set('X-Cache', status), value);
  });

  app.get('/me/products', async (req, res) => {
    const userId = authenticatedUser(req, config);
    // TODO: this answer depends on who asks, but its cache key does not.
    const { value, status } = await cache.readList('me', () =>
      Product.find({ ownerId: userId }).sort({ createdAt: -1, _id: -1 }).lean<ProductRecord[]>().exec().then(listJson),
    );
    sendJson(res.set('X-Cache', status), value);
  });

  app.post('/products', async (req, res) => {
    const ownerId = authenticatedUser(req, config);
    const product = await new Product({ ...pickWritable(req.body), ownerId }).save();
    await cache.invalidate(keys.item(product.id as string));
    res.status(201).json(toBody(product.toObject() as ProductRecord));
  });

  // PUT replaces the product, creating it at this id when it does not exist.
  app.put('/products/:id', async (req, res) => {
    const ownerId = authenticatedUser(req, config);
    const id = objectId(req.params.id);
    const fields = pickWritable(req.body);
    await new Product({ ...fields, ownerId }).validate();
    const result = (await Product.findByIdAndUpdate(
      id,
      { $set: fields, $setOnInsert: { ownerId } },
      { upsert: true, runValidators: true, returnDocument: 'after', includeResultMetadata: true },
    ).lean()) as unknown as { value: ProductRecord; lastErrorObject?: { updatedExisting?: boolean } };
    await cache.invalidate(keys.item(id));
    const created = result.lastErrorObject?.updatedExisting === false;
    res.status(created ? 201 : 200).json(toBody(result.value));
  });

  app.patch('/products/:id', async (req, res) => {
    authenticatedUser(req, config);
    const id = objectId(req.params.id);
    const fields = pickWritable(req.body);
    if (Object.keys(fields).length === 0) throw validationFailed({ body: `must set at least one of ${writableFields.join(', ')}` });
    const product = await Product.findByIdAndUpdate(id, { $set: fields }, { runValidators: true, returnDocument: 'after' }).lean<ProductRecord>();
    if (!product) throw notFound(`Product ${id}`);
    await cache.invalidate(keys.item(id));
    res.json(toBody(product));
  });

  app.delete('/products/:id', async (req, res) => {
    authenticatedUser(req, config);
    const id = objectId(req.params.id);
    const product = await Product.findByIdAndDelete(id).lean<ProductRecord>();
    if (!product) throw notFound(`Product ${id}`);
    await cache.invalidate(keys.item(id));
    res.status(204).end();
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}

/** Price statistics of one tag, over every product carrying it. */
export interface TagStats {
  tag: string;
  products: number;
  minPrice: number;
  maxPrice: number;
  /** Mean price, rounded to the cent. */
  avgPrice: number;
}

/** One pass over the whole catalogue: a product counts once under each of its tags. */
async function priceStatsByTag(): Promise<TagStats[]> {
  const groups = await Product.aggregate<{ _id: string; products: number; minPrice: number; maxPrice: number; avgPrice: number }>([
    { $unwind: '$tags' },
    { $group: { _id: '$tags', products: { $sum: 1 }, minPrice: { $min: '$price' }, maxPrice: { $max: '$price' }, avgPrice: { $avg: '$price' } } },
    { $sort: { _id: 1 } },
  ]).exec();
  return groups.map(({ _id, products, minPrice, maxPrice, avgPrice }) => ({
    tag: _id,
    products,
    minPrice,
    maxPrice,
    avgPrice: Math.round(avgPrice * 100) / 100,
  }));
}

function toBody(product: ProductRecord): ProductBody {
  return {
    id: product._id.toHexString(),
    name: product.name,
    sku: product.sku,
    price: product.price,
    stock: product.stock,
    tags: [...product.tags],
    ownerId: product.ownerId.toHexString(),
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/**
 * A list answer as the JSON text it is sent as. Lists are cached in this form:
 * a hit sends the stored text as it is, instead of parsing twenty documents'
 * Extended JSON and rendering them again (most of a hit's cost otherwise).
 * A single product stays cached as the document: it parses in microseconds,
 * and the route needs it as one (null is the cached 404).
 */
function listJson(products: ProductRecord[]): string {
  return JSON.stringify({ items: products.map(toBody) });
}

function sendJson(res: express.Response, json: string): void {
  res.type('json').send(json);
}

function objectId(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string' || !isValidObjectId(raw)) throw validationFailed({ id: 'must be a 24-character hex ObjectId' });
  return raw;
}

function listQuery(req: Request): { tag: string | undefined; limit: number } {
  const { tag, limit = '20' } = req.query;
  if (tag !== undefined && (typeof tag !== 'string' || tag.length > 50)) throw validationFailed({ tag: 'must be one string of at most 50 characters' });
  const parsed = typeof limit === 'string' && /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(parsed >= 1 && parsed <= 100)) throw validationFailed({ limit: 'must be an integer from 1 to 100' });
  return { tag: tag || undefined, limit: parsed };
}

function pickWritable(body: unknown): Partial<Record<(typeof writableFields)[number], unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed({ body: 'must be a JSON object' });
  const source = body as Record<string, unknown>;
  // Mongoose casts an array field's elements but stores a null array as null,
  // which every later read of the product would trip over: checked here, at the edge.
  if ('tags' in source && !(Array.isArray(source.tags) && source.tags.every((tag) => typeof tag === 'string' && tag.length <= 50))) {
    throw validationFailed({ tags: 'must be an array of strings of at most 50 characters' });
  }
  return Object.fromEntries(writableFields.filter((field) => field in source).map((field) => [field, source[field]]));
}

/** The caller's user id, from `Authorization: Bearer <access token>`. */
function authenticatedUser(req: Request, config: AppConfig): string {
  const header = req.get('authorization') ?? '';
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header);
  if (!match) throw unauthenticated('auth.unauthenticated', 'A bearer token is required.', { 'WWW-Authenticate': 'Bearer' });
  const payload = jwt.verify(match[1]!, config.jwtSecret, { algorithms: ['HS256'] });
  const sub = typeof payload === 'object' ? payload.sub : undefined;
  if (!sub || !isValidObjectId(sub)) throw unauthenticated('auth.token_invalid', 'The token names no user.');
  return sub;
}
