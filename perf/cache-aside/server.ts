/**
 * The app side of the cache-aside scenario, run as a child process so that
 * the load generator does not share its event loop: the cache-aside kata's
 * reference solution, once with the cache turned off and once with it on,
 * both on one MongoDB database and one Redis.
 *
 * Input (environment): PERF_MONGO_URI, PERF_MONGO_DB, PERF_REDIS_URL, PERF_PRODUCTS.
 * Output: one JSON line on stdout, `{ uncached, cached, ids }`, once ready.
 * Stops cleanly on SIGTERM or when stdin closes (the runner died).
 */
import Redis from 'ioredis';
import mongoose, { Types } from 'mongoose';
import { listen, type RunningServer } from '../../harness/http/listen';
import { createApp, type AppConfig } from '../../solutions/caching/cache-aside/src/app';
import { Product } from '../../solutions/caching/cache-aside/src/product.model';
import { redisOptions } from '../../solutions/caching/cache-aside/src/redis';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; this server is started by perf/run.ts.`);
  return value;
}

async function main(): Promise<void> {
  const products = Number(process.env.PERF_PRODUCTS ?? 500);
  await mongoose.connect(required('PERF_MONGO_URI'), { dbName: required('PERF_MONGO_DB') });
  const redis = new Redis(required('PERF_REDIS_URL'), { ...redisOptions({ commandTimeoutMs: 500 }), lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();

  const ownerId = new Types.ObjectId();
  const docs = Array.from({ length: products }, (_, i) => ({
    name: `Product ${i}`,
    sku: `PERF-${String(i).padStart(5, '0')}`,
    price: 1 + (i % 500),
    stock: i % 100,
    tags: i % 2 ? ['sale'] : ['new'],
    ownerId,
  }));
  const inserted = await Product.insertMany(docs);
  const ids = inserted.map((doc) => String(doc._id));

  const config: AppConfig = { jwtSecret: 'perf-only-secret', cache: { ttlSeconds: 600, jitterSeconds: 60, negativeTtlSeconds: 10 } };
  const quiet = () => {};
  const servers: RunningServer[] = [
    await listen(createApp({ redis, config: { ...config, cache: { ...config.cache, enabled: false } }, log: quiet })),
    await listen(createApp({ redis, config, log: quiet })),
  ];
  const [uncached, cached] = servers as [RunningServer, RunningServer];

  // Warm the cache: the cached run measures hits, not the first misses.
  for (const id of ids) {
    const res = await fetch(`${cached.url}/products/${id}`);
    if (res.status !== 200) throw new Error(`warm-up: GET /products/${id} answered ${res.status}`);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(servers.map((s) => s.close()));
    await redis.quit().catch(() => {});
    await mongoose.connection.dropDatabase().catch(() => {});
    await mongoose.disconnect();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.resume();

  process.stdout.write(`${JSON.stringify({ uncached: uncached.url, cached: cached.url, ids })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`cache-aside perf server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
