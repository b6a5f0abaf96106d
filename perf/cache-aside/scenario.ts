/**
 * The cache-aside scenario: three request shapes, each against the app with
 * the cache off, with it on, and against the ceiling (the same stack answering
 * a constant body); then read/write mixes on the cached app, checked for stale
 * reads. Every figure comes from one run, so the ratios compare like with like.
 */
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { projectRoot } from '../../harness/config';
import { runAutocannon, runK6, type DriverName, type LoadRun } from '../drivers';
import type { RunStats } from '../stats';
import { runK6WriteMix, runWriteMix, type WriteMixRun, type WriteMixStats } from '../write-mix';
import { shapeNames, shapeTitles, type ServerReady, type ShapeName } from './protocol';

export type Target = 'katas' | 'solutions';

export interface CacheAsideOptions {
  short: boolean;
  driver: DriverName;
  target: Target;
  /** Write a CPU profile of each shape's cached run to `<profile>-<shape>.cpuprofile`. */
  profile?: string;
}

export interface ShapeResult {
  shape: ShapeName;
  title: string;
  uncached: RunStats;
  cached: RunStats;
  ceiling: RunStats;
  /** uncached ÷ cached p95: how many times lower the slow requests get with the cache. */
  p95Ratio: number;
  /** cached ÷ uncached requests/s. */
  throughputRatio: number;
  /** cached ÷ ceiling requests/s, as a percentage. */
  ceilingPercent: number;
  /** One uncached request's latency on the idle app, measured before the run. */
  uncachedAloneMs: number;
  profileFile?: string;
}

/** A run by count: what an uncached shape gets when a timed run would not give every connection two answers. */
const byCount = { connections: 2, requests: 10, shortRequests: 4, timeoutSeconds: 600 };

export interface CacheAsideReport {
  scenario: 'cache-aside';
  target: Target;
  driver: DriverName;
  mongo: string;
  products: number;
  /** Why the catalogue is smaller than a full run's, when it is. */
  catalogueNote?: string;
  seedMs: number;
  durationSeconds: number;
  connections: number;
  shapes: ShapeResult[];
  writeMixes: WriteMixStats[];
}

export class KataNotSolvedError extends Error {
  readonly code = 'KATA_PERF_NOT_SOLVED';
}

/** What the scenario needs from the runner: its infrastructure and a way to start the app server. */
export interface CacheAsideInfra {
  redisUrl: string;
  mongo: { uri: string; engine: string };
  startServer: (env: NodeJS.ProcessEnv) => Promise<{ child: import('node:child_process').ChildProcess; firstLine: string }>;
}

export const fullProducts = 50_000;
export const shortProducts = 2_000;

export async function runCacheAsideScenario(options: CacheAsideOptions, infra: CacheAsideInfra, progress: (line: string) => void): Promise<CacheAsideReport> {
  const durationSeconds = options.short ? 1 : 8;
  const connections = options.short ? 10 : 20;
  const products = options.short ? shortProducts : fullProducts;
  progress(`seeding ${products.toLocaleString('en')} products and starting the ${options.target === 'katas' ? "learner's app (katas/)" : 'reference solution (solutions/)'}…`);
  const { child, firstLine } = await infra.startServer({
    PERF_MONGO_URI: infra.mongo.uri,
    PERF_MONGO_DB: `perf_cache_aside_${process.pid}`,
    PERF_REDIS_URL: infra.redisUrl,
    PERF_PRODUCTS: String(products),
    PERF_TARGET: options.target,
  });
  const app = JSON.parse(firstLine) as ServerReady;
  refuseUnsolved(app, options.target);
  const serverLines = readline.createInterface({ input: child.stdout! });

  /** Sends one command to the server and waits for its answer line. */
  const ask = async (command: string) => {
    const answered = once(serverLines, 'line');
    child.stdin!.write(`${command}\n`);
    await answered;
  };
  const byCountRun = (run: LoadRun): LoadRun => ({
    ...run,
    connections: byCount.connections,
    amount: options.short ? byCount.shortRequests : byCount.requests,
    timeoutSeconds: byCount.timeoutSeconds,
  });
  /** A timed run, or one by count (`run.amount`, with `why` it went by count). */
  const drive = async (run: LoadRun, why = ''): Promise<RunStats> => {
    const driver = options.driver === 'k6' ? (r: LoadRun) => runK6(r, path.join(projectRoot, 'perf', 'k6', 'cache-aside.js')) : runAutocannon;
    // k6 lets iterations in flight at its deadline finish (gracefulStop); autocannon drops them.
    let stats = await driver(run);
    await ask('drain');
    if (options.driver !== 'k6' && run.amount === undefined && stats.requests < 2 * run.connections) {
      // Slower than the probe said (a busy machine): measure by count instead.
      const counted = byCountRun(run);
      progress(`  only ${stats.requests} answers in ${durationSeconds}s: measuring ${counted.amount} requests over ${counted.connections} connections instead…`);
      const answered = stats.requests;
      stats = await driver(counted);
      await ask('drain');
      return { ...stats, byCount: { requests: counted.amount!, connections: counted.connections, why: `a ${durationSeconds}s run got ${answered} answers` } };
    }
    return run.amount === undefined ? stats : { ...stats, byCount: { requests: run.amount, connections: run.connections, why } };
  };
  /**
   * One request alone: the fastest of three, after one that warms the route
   * up (one sample on a busy machine says more about the machine). A
   * single-threaded database answers one expensive query at a time: when
   * `connections` × 2 of them would not fit in the run, the uncached side goes
   * by count, over fewer connections, instead of ending with most requests
   * unanswered or timing them all out in a queue minutes long.
   */
  const aloneMs = async (url: string): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const started = performance.now();
      await (await fetch(url)).arrayBuffer();
      const ms = performance.now() - started;
      // Slower than a whole run even cold: no need to wait for three more.
      if (i === 0 && ms > durationSeconds * 1_000) return ms;
      if (i > 0) samples.push(ms);
    }
    return Math.min(...samples);
  };

  const shapes: ShapeResult[] = [];
  for (const shape of shapeNames) {
    const paths = app.paths[shape];
    progress(`${shapeTitles[shape]}: uncached, cached, ceiling; ${options.driver}, ${connections} connections, ${durationSeconds}s each…`);
    const run: LoadRun = { baseUrl: app.urls.uncached, paths, durationSeconds, connections };
    const uncachedAloneMs = await aloneMs(`${app.urls.uncached}${paths[0]!}`);
    const tooSlow = uncachedAloneMs * 2 * connections > durationSeconds * 1_000;
    if (tooSlow) progress(`  one uncached request takes ${Math.round(uncachedAloneMs)} ms alone: measuring the uncached side by count…`);
    const uncached = tooSlow ? await drive(byCountRun(run), `one request took ${Math.round(uncachedAloneMs)} ms alone`) : await drive(run);
    let profileFile: string | undefined;
    if (options.profile) {
      profileFile = path.resolve(`${options.profile}-${shape}.cpuprofile`);
      child.stdin!.write('profile-start\n');
    }
    const cached = await drive({ ...run, baseUrl: app.urls.cached });
    if (profileFile) await ask(`profile-stop ${profileFile}`);
    const ceiling = await drive({ ...run, baseUrl: app.urls.ceiling });
    shapes.push({
      shape,
      title: shapeTitles[shape],
      uncached,
      cached,
      ceiling,
      p95Ratio: uncached.p95Ms / cached.p95Ms,
      throughputRatio: cached.requestsPerSecond / uncached.requestsPerSecond,
      ceilingPercent: (100 * cached.requestsPerSecond) / ceiling.requestsPerSecond,
      uncachedAloneMs,
      profileFile,
    });
  }

  // The mixes run on the products they write only: the embedded engine's writes
  // slow down with the collection's size, which is not what they measure.
  await ask('shrink');
  const writeMixes: WriteMixStats[] = [];
  for (const writeShare of [0.1, 0.5]) {
    progress(`write mix ${Math.round(100 * (1 - writeShare))}/${Math.round(100 * writeShare)} on the cached app…`);
    const run: WriteMixRun = { baseUrl: app.urls.cached, ids: app.writeIds, token: app.token, writeShare, durationSeconds, connections };
    writeMixes.push(options.driver === 'k6' ? await runK6WriteMix(run, path.join(projectRoot, 'perf', 'k6', 'write-mix.js')) : await runWriteMix(run));
    await ask('drain');
  }

  return {
    scenario: 'cache-aside',
    target: options.target,
    driver: options.driver,
    mongo: infra.mongo.engine,
    products,
    catalogueNote: options.short ? `--short seeds ${shortProducts.toLocaleString('en')} products, not ${fullProducts.toLocaleString('en')}: the ratios are smaller than a full run's` : undefined,
    seedMs: app.seedMs,
    durationSeconds,
    connections,
    shapes,
    writeMixes,
  };
}

/** Measuring code that does not cache yet would only compare MongoDB with itself. */
function refuseUnsolved(app: ServerReady, target: Target): void {
  const missing = shapeNames.filter((shape) => !app.cachesShape[shape]);
  if (missing.length === 0) return;
  const which = missing.map((shape) => shapeTitles[shape]).join(', ');
  if (target === 'katas') {
    throw new KataNotSolvedError(
      `Your cache-aside kata does not cache ${which} yet: a second read answers X-Cache other than HIT, so there is no cache to measure.\n` +
        'Finish it first (`npm run kata` or `npm test -- katas/caching/cache-aside`), or measure the reference solution: `npm run perf -- cache-aside --target solutions`.',
    );
  }
  throw new Error(`solutions/caching/cache-aside does not cache ${which}: a second read is not a HIT.`);
}
