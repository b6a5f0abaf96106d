/**
 * The app side of the cache-aside scenario, run as a child process so that
 * the load generator does not share its event loop: the cache-aside kata's app
 * (the learner's code or the reference solution) once with the cache turned
 * off and once with it on, both on one MongoDB database and one Redis, and the
 * ceiling: the same Express stack answering each shape's body as a constant.
 *
 * Input (environment): PERF_MONGO_URI, PERF_MONGO_DB, PERF_REDIS_URL,
 * PERF_PRODUCTS, PERF_TARGET (katas | solutions).
 * Output: one JSON line on stdout once ready (`ServerReady`). Then it reads
 * commands on stdin, one a line: `profile-start`, `profile-stop <file>`
 * (answered by a `profile-written` line), `shrink` (drop every product but
 * the write mix's; `shrunk`), `drain` (answered by `drained` once no request
 * is in flight). Stops cleanly on SIGTERM or when
 * stdin closes (the runner died).
 */
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import express from 'express';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import mongoose, { Types } from 'mongoose';
import { listen, type RunningServer } from '../../harness/http/listen';
import { requestId } from '../../lib/errors';
import type * as AppModule from '../../solutions/caching/cache-aside/src/app';
import type * as ModelModule from '../../solutions/caching/cache-aside/src/product.model';
import type * as RedisModule from '../../solutions/caching/cache-aside/src/redis';
import { seedCatalogue } from './seed';
import { shapeNames, type ServerReady, type ShapeName } from './protocol';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; this server is started by perf/run.ts.`);
  return value;
}

/** The kata's modules from the folder measured: the learner's (katas/) or the reference (solutions/). */
function loadTarget(target: string) {
  if (target !== 'katas' && target !== 'solutions') throw new Error(`PERF_TARGET must be katas or solutions, not ${target}`);
  const src = path.join(__dirname, '..', '..', target, 'caching', 'cache-aside', 'src');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the folder is chosen at run time
  const load = <T>(file: string) => require(path.join(src, file)) as T;
  return { ...load<typeof AppModule>('app'), ...load<typeof ModelModule>('product.model'), ...load<typeof RedisModule>('redis') };
}

/**
 * The ceiling: the app's own middleware stack in front of handlers that answer
 * a constant body, the bytes the cached app answered for that shape, sent as
 * they are. Whatever the cached path costs beyond this is the cache's (Redis
 * round trips, parsing what Redis holds, rendering the body).
 */
function ceilingApp(bodies: Record<ShapeName, string>): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '20kb' }));
  const constant = (shape: ShapeName): express.RequestHandler => (_req, res) => {
    res.set('X-Cache', 'HIT').type('json').send(bodies[shape]);
  };
  app.get('/products/stats', constant('stats'));
  app.get('/products/:id', constant('item'));
  app.get('/products', constant('list'));
  return app;
}

/**
 * Requests the apps have not answered yet. A load generator stops at its
 * deadline with requests still in flight (slow aggregations, on a busy
 * database): the runner waits for them (`drain`) so one run's backlog does not
 * slow the next one down.
 */
let inFlight = 0;
const drainWaiters: (() => void)[] = [];

function counted(handler: http.RequestListener): http.RequestListener {
  return (req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) drainWaiters.splice(0).forEach((wake) => wake());
    });
    handler(req, res);
  };
}

const drained = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drainWaiters.push(resolve)));

async function main(): Promise<void> {
  const products = Number(process.env.PERF_PRODUCTS ?? 1_000);
  const target = process.env.PERF_TARGET ?? 'katas';
  const { createApp, Product, redisOptions } = loadTarget(target);
  // The uncached report keeps the embedded engine busy for many seconds: the
  // driver's monitor must not give up on it (and clear the pool) meanwhile.
  await mongoose.connect(required('PERF_MONGO_URI'), { dbName: required('PERF_MONGO_DB'), connectTimeoutMS: 300_000, socketTimeoutMS: 0 });
  // A generous bound: on a loaded machine a Redis command can take longer than
  // a production timeout, and a timed-out lookup would be measured as a miss.
  const redis = new Redis(required('PERF_REDIS_URL'), { ...redisOptions({ commandTimeoutMs: 5_000 }), lazyConnect: true });
  redis.on('error', () => {});
  await redis.connect();

  const ownerId = new Types.ObjectId();
  const seeded = await seedCatalogue(Product.collection, { products, ownerId });

  const jwtSecret = 'perf-only-secret';
  const config: AppModule.AppConfig = { jwtSecret, cache: { ttlSeconds: 600, jitterSeconds: 60, negativeTtlSeconds: 10 } };
  const quiet = () => {};
  const uncached = await listen(counted(createApp({ redis, config: { ...config, cache: { ...config.cache, enabled: false } }, log: quiet })));
  const cached = await listen(counted(createApp({ redis, config, log: quiet })));

  const paths: Record<ShapeName, string[]> = {
    item: seeded.ids.slice(0, 1_000).map((id) => `/products/${id}`),
    list: seeded.tags.map((tag) => `/products?tag=${tag}&limit=20`),
    stats: ['/products/stats'],
  };
  // Warm the cache: the cached runs measure hits, not the first misses. The
  // second read of each shape's first path tells whether this code caches the
  // shape at all; if it does not, the runner stops before warming the rest.
  const cachesShape = {} as Record<ShapeName, boolean>;
  const bodies = {} as Record<ShapeName, string>;
  const readTwice = async (p: string) => {
    const first = await fetch(`${cached.url}${p}`);
    if (first.status !== 200) throw new Error(`warm-up: GET ${p} answered ${first.status}`);
    const body = await first.text();
    const second = await fetch(`${cached.url}${p}`);
    await second.arrayBuffer();
    return { body, hit: second.headers.get('x-cache') === 'HIT' };
  };
  for (const shape of shapeNames) {
    const { body, hit } = await readTwice(paths[shape][0]!);
    bodies[shape] = body;
    cachesShape[shape] = hit;
  }
  const writeIds = seeded.ids.slice(-200);
  if (shapeNames.every((shape) => cachesShape[shape])) {
    for (const shape of shapeNames) for (const p of paths[shape].slice(1)) await readTwice(p);
    await Promise.all(writeIds.map((id) => fetch(`${cached.url}/products/${id}`).then((res) => res.arrayBuffer())));
  }
  const ceiling = await listen(counted(ceilingApp(bodies)));
  const servers: RunningServer[] = [uncached, cached, ceiling];

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
  // Keeps only the write mix's products. Their cached entries stay true (they
  // are unchanged); the cached lists do not, but the mixes read items only.
  listenForCommands(async () => {
    await Product.deleteMany({ _id: { $nin: writeIds } });
  });

  const ready: ServerReady = {
    target,
    products,
    seedMs: seeded.ms,
    urls: { uncached: uncached.url, cached: cached.url, ceiling: ceiling.url },
    paths,
    cachesShape,
    // The write mix's products: the last ones seeded, none of them in the item shape's set.
    writeIds,
    token: jwt.sign({ sub: ownerId.toHexString() }, jwtSecret, { algorithm: 'HS256', expiresIn: '1h' }),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

/**
 * The runner's commands: `profile-start` / `profile-stop <file>` (a CPU
 * profile of this process, as Chrome DevTools opens it), `shrink` (before the
 * write mixes), `drain`.
 */
function listenForCommands(shrink: () => Promise<void>): void {
  const session = new Session();
  session.connect();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [command, file] = line.split(' ', 2);
    const run = async () => {
      if (command === 'profile-start') {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else if (command === 'profile-stop' && file) {
        const { profile } = await session.post('Profiler.stop');
        fs.writeFileSync(file, JSON.stringify(profile));
        process.stdout.write('profile-written\n');
      } else if (command === 'shrink') {
        await shrink();
        process.stdout.write('shrunk\n');
      } else if (command === 'drain') {
        await drained();
        process.stdout.write('drained\n');
      }
    };
    run().catch((error: unknown) => process.stderr.write(`cache-aside perf server, command ${JSON.stringify(line)}: ${String(error)}\n`));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`cache-aside perf server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
