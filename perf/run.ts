/**
 * `npm run perf -- <scenario> [--short] [--json] [--driver …]`
 *
 * Measures what a phase buys, as ratios within one run (machines are noisy;
 * absolute figures are reported, not compared):
 *
 * - `cache-aside`: boots Redis, MongoDB and the kata's reference solution
 *   (uncached and cached instances, in a child process), drives the same URLs
 *   against both with k6 when it is on PATH and otherwise with autocannon, and
 *   prints requests/s and p50/p95/p99 latency for each, and the ratios.
 *   `--short` runs 2 s per side. Exits 1 only when requests fail; the numbers
 *   are reported, never asserted.
 * - `realtime`: push against polling on the delivery-guarantees solution (see
 *   realtime/scenario.ts), k6 when on PATH, else a Node driver
 *   (`--clients N`, `--rate N` messages/s). Exits 1 when a floor is missed:
 *   push p95 at least 10× lower than 1 s polling, nothing lost or duplicated.
 *
 * `--short` is what `npm run verify` runs: a few seconds per side.
 */
import path from 'node:path';
import { projectRoot } from '../harness/config';
import { stylerFor } from '../harness/output/style';
import { k6Installed, pickDriver, runAutocannon, runK6, type DriverName, type LoadRun } from './drivers';
import { formatTable, startChild, startMongo, startRedis, stopAll, type Stopper } from './infra';
import { formatRealtimeReport, type RealtimeDriver } from './realtime/report';
import { runRealtime } from './realtime/scenario';
import type { RunStats } from './stats';

const scenarios = ['cache-aside', 'realtime'] as const;
type Scenario = (typeof scenarios)[number];

interface Options {
  scenario: Scenario;
  short: boolean;
  json: boolean;
  driver?: DriverName | 'node';
  clients?: number;
  rate?: number;
}

export class PerfUsageError extends Error {
  readonly code = 'KATA_PERF_USAGE';
}

const valued = ['--driver', '--clients', '--rate'];

function positiveInteger(argv: string[], flag: string): number | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = argv[at + 1] ?? '';
  if (!/^[1-9]\d{0,4}$/.test(value)) throw new PerfUsageError(`${flag} ${JSON.stringify(value)} is not a whole number from 1 to 99999.`);
  return Number(value);
}

export function parseArgs(argv: string[]): Options {
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !valued.includes(argv[i - 1] ?? ''));
  const scenario = positional[0];
  if (!scenarios.includes(scenario as Scenario)) {
    throw new PerfUsageError(`Unknown scenario ${JSON.stringify(scenario ?? '')}: expected one of ${scenarios.join(', ')}. Try \`npm run perf -- cache-aside --short\`.`);
  }
  const driverAt = argv.indexOf('--driver');
  const driver = driverAt >= 0 ? argv[driverAt + 1] : undefined;
  const drivers = scenario === 'realtime' ? ['k6', 'node'] : ['k6', 'autocannon'];
  if (driver !== undefined && !drivers.includes(driver)) {
    throw new PerfUsageError(`--driver ${JSON.stringify(driver)} is not ${drivers.join(' or ')} (for ${scenario}).`);
  }
  return {
    scenario: scenario as Scenario,
    short: argv.includes('--short'),
    json: argv.includes('--json'),
    driver: driver as Options['driver'],
    clients: positiveInteger(argv, '--clients'),
    rate: positiveInteger(argv, '--rate'),
  };
}

export interface PerfReport {
  scenario: 'cache-aside';
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
  const driver = pickDriver(options.driver === 'node' ? undefined : options.driver);
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
    await stopAll(stoppers);
  }
}

export function formatReport(report: PerfReport, style = stylerFor()): string {
  const row = (name: string, s: RunStats): [string, ...string[]] => [
    name,
    s.requestsPerSecond.toFixed(0),
    s.p50Ms.toFixed(2),
    s.p95Ms.toFixed(2),
    s.p99Ms.toFixed(2),
    String(s.failures),
  ];
  return [
    style.bold(`cache-aside: GET /products/:id over ${report.products} products, MongoDB vs Redis hits`),
    style.dim(`  driver ${report.driver}, ${report.connections} connections, ${report.durationSeconds}s per side, MongoDB ${report.mongo}`),
    ...formatTable(
      9,
      ['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failures'].map((header) => ({ header })),
      [row('uncached', report.uncached), row('cached', report.cached)],
    ),
    style.green(`  ratio: ${report.throughputRatio.toFixed(2)}× the requests/s, p95 ${report.p95Ratio.toFixed(2)}× lower with the cache`),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const style = stylerFor(process.stderr);
  const progress = (line: string) => process.stderr.write(`${style.dim(line)}\n`);
  if (options.scenario === 'realtime') {
    const driver: RealtimeDriver = (options.driver as RealtimeDriver | undefined) ?? (k6Installed() ? 'k6' : 'node');
    const report = await runRealtime({ short: options.short, driver, clients: options.clients, rate: options.rate }, progress);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatRealtimeReport(report, stylerFor())}\n`);
    if (report.breaches.length > 0) throw new Error(`The realtime floors were missed: ${report.breaches.join('; ')}.`);
    return;
  }
  const report = await runCacheAside(options, progress);
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
