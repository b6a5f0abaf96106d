/**
 * `npm run perf -- cache-aside [--short] [--json] [--driver k6|autocannon]`
 *
 * Measures what the cache-aside kata buys, as a ratio within one run: boots
 * Redis, MongoDB and the kata's reference solution (uncached and cached
 * instances, in a child process), drives the same URLs against both with k6
 * when it is on PATH and otherwise with autocannon, and prints requests/s and
 * p50/p95/p99 latency for each, and the ratios. `--short` (a few seconds, for
 * `npm run verify`) runs 2 s per side. Exits 1 only when a run fails (errors
 * or non-2xx answers); the numbers themselves are reported, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { RedisMemoryServer } from 'redis-memory-server';
import { projectRoot, readConfig } from '../harness/config';
import { startMongoEngine } from '../harness/db/mongo-engine';
import { stylerFor } from '../harness/output/style';
import { readRecordedEnvironment } from '../harness/setup/environment-file';
import { locateRedisBinary, RedisBinaryMissingError } from '../harness/setup/redis-binary';
import { pickDriver, runAutocannon, runK6, type DriverName, type LoadRun } from './drivers';
import type { RunStats } from './stats';

const scenarios = ['cache-aside'] as const;
type Scenario = (typeof scenarios)[number];

interface Options {
  scenario: Scenario;
  short: boolean;
  json: boolean;
  driver?: DriverName;
}

export class PerfUsageError extends Error {
  readonly code = 'KATA_PERF_USAGE';
}

export function parseArgs(argv: string[]): Options {
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--driver');
  const scenario = positional[0];
  if (!scenarios.includes(scenario as Scenario)) {
    throw new PerfUsageError(`Unknown scenario ${JSON.stringify(scenario ?? '')}: expected one of ${scenarios.join(', ')}. Try \`npm run perf -- cache-aside --short\`.`);
  }
  const driverAt = argv.indexOf('--driver');
  const driver = driverAt >= 0 ? argv[driverAt + 1] : undefined;
  if (driver !== undefined && driver !== 'k6' && driver !== 'autocannon') {
    throw new PerfUsageError(`--driver ${JSON.stringify(driver)} is not k6 or autocannon.`);
  }
  return { scenario: scenario as Scenario, short: argv.includes('--short'), json: argv.includes('--json'), driver };
}

/** Something started for the run, stopped in reverse order whatever happens. */
type Stopper = () => Promise<void>;

async function startRedis(stoppers: Stopper[]): Promise<string> {
  const binary = await locateRedisBinary(readRecordedEnvironment()?.redis?.binary);
  if (!binary) throw new RedisBinaryMissingError('not on PATH, not recorded by `npm run setup`');
  const server = new RedisMemoryServer({ binary: { systemBinary: binary.binary }, autoStart: false });
  await server.start();
  stoppers.push(async () => {
    await server.stop();
  });
  return `redis://${await server.getHost()}:${await server.getPort()}`;
}

/** Starts a child with tsx and resolves with its first stdout line. */
async function startChild(script: string, env: NodeJS.ProcessEnv, stoppers: Stopper[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  stoppers.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${path.relative(projectRoot, script)} exited with ${code} before it was ready (its messages are above).`)));
  });
  return { child, firstLine };
}

/**
 * MongoDB for the app: MONGO_URL or a real mongod when setup chose one,
 * otherwise the embedded engine in a process of its own (in the runner's
 * process it would compete with the load generator for one event loop).
 */
async function startMongo(stoppers: Stopper[]): Promise<{ uri: string; engine: string }> {
  const config = readConfig();
  const recorded = readRecordedEnvironment()?.mongo;
  if (config.mongoUrl || recorded?.engine === 'mongod' || config.mongoOverride === 'mongod') {
    const engine = await startMongoEngine();
    stoppers.push(() => engine.stop());
    return { uri: engine.uri, engine: engine.engine };
  }
  const { firstLine } = await startChild(path.join(projectRoot, 'harness', 'mongo', 'cli.ts'), {}, stoppers);
  return { uri: firstLine.trim(), engine: 'embedded (own process)' };
}

export interface PerfReport {
  scenario: Scenario;
  driver: DriverName;
  mongo: string;
  durationSeconds: number;
  connections: number;
  products: number;
  uncached: RunStats;
  cached: RunStats;
  /** cached ÷ uncached requests/s: how many times more requests the cache serves. */
  throughputRatio: number;
  /** uncached ÷ cached p95 latency: how many times faster the slow requests get. */
  p95Ratio: number;
}

export async function runCacheAside(options: Options, progress: (line: string) => void): Promise<PerfReport> {
  const durationSeconds = options.short ? 2 : 10;
  const connections = options.short ? 10 : 20;
  const products = options.short ? 200 : 1_000;
  const driver = pickDriver(options.driver);
  const stoppers: Stopper[] = [];
  try {
    progress('starting Redis and MongoDB…');
    const redisUrl = await startRedis(stoppers);
    const mongo = await startMongo(stoppers);
    progress(`starting the cache-aside solution (${products} products, cache warmed)…`);
    const { firstLine } = await startChild(
      path.join(projectRoot, 'perf', 'cache-aside', 'server.ts'),
      { PERF_MONGO_URI: mongo.uri, PERF_MONGO_DB: `perf_cache_aside_${process.pid}`, PERF_REDIS_URL: redisUrl, PERF_PRODUCTS: String(products) },
      stoppers,
    );
    const app = JSON.parse(firstLine) as { uncached: string; cached: string; ids: string[] };
    const paths = app.ids.map((id) => `/products/${id}`);
    const drive = (baseUrl: string) => {
      const run: LoadRun = { baseUrl, paths, durationSeconds, connections };
      return driver === 'k6' ? runK6(run, path.join(projectRoot, 'perf', 'k6', 'cache-aside.js')) : runAutocannon(run);
    };
    progress(`uncached: ${driver}, ${connections} connections, ${durationSeconds}s…`);
    const uncached = await drive(app.uncached);
    progress(`cached: ${driver}, ${connections} connections, ${durationSeconds}s…`);
    const cached = await drive(app.cached);
    return {
      scenario: 'cache-aside',
      driver,
      mongo: mongo.engine,
      durationSeconds,
      connections,
      products,
      uncached,
      cached,
      throughputRatio: cached.requestsPerSecond / uncached.requestsPerSecond,
      p95Ratio: uncached.p95Ms / cached.p95Ms,
    };
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
  }
}

export function formatReport(report: PerfReport, style = stylerFor()): string {
  const row = (name: string, s: RunStats) =>
    `  ${name.padEnd(9)} ${s.requestsPerSecond.toFixed(0).padStart(9)} ${s.p50Ms.toFixed(2).padStart(9)} ${s.p95Ms.toFixed(2).padStart(9)} ${s.p99Ms.toFixed(2).padStart(9)} ${String(s.failures).padStart(9)}`;
  return [
    style.bold(`cache-aside: GET /products/:id over ${report.products} products, MongoDB vs Redis hits`),
    style.dim(`  driver ${report.driver}, ${report.connections} connections, ${report.durationSeconds}s per side, MongoDB ${report.mongo}`),
    `  ${''.padEnd(9)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'failures'.padStart(9)}`,
    row('uncached', report.uncached),
    row('cached', report.cached),
    style.green(`  ratio: ${report.throughputRatio.toFixed(2)}× the requests/s, p95 ${report.p95Ratio.toFixed(2)}× lower with the cache`),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const style = stylerFor(process.stderr);
  const report = await runCacheAside(options, (line) => process.stderr.write(`${style.dim(line)}\n`));
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  if (report.uncached.failures + report.cached.failures > 0) {
    throw new Error(`${report.uncached.failures + report.cached.failures} requests failed; the figures above are not comparable.`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
