/**
 * `npm run perf -- <scenario> [--short] [--json] [--driver …]`
 *
 * Measures what a phase buys, as ratios within one run (machines are noisy;
 * absolute figures are reported, not compared):
 *
 * - `cache-aside [--target katas|solutions] [--profile [prefix]] [--html report.html]`:
 *   boots Redis, MongoDB and the kata's app (the learner's by default, in a
 *   child process), and for three request shapes drives the same URLs against
 *   the app uncached, cached, and against the ceiling (a constant body), with k6
 *   when it is on PATH and otherwise with autocannon; then read/write mixes,
 *   checked for stale reads (perf/cache-aside/scenario.ts). Exits 1 when a run
 *   fails (errors, non-2xx answers, stale reads); the timings are reported,
 *   never asserted.
 * - `realtime [--clients N] [--rate N]`: push against polling on the
 *   delivery-guarantees solution (perf/realtime/scenario.ts), k6 when on PATH,
 *   else a Node driver. Exits 1 when a floor is missed: push p95 at least 10×
 *   lower than 1 s polling, nothing lost or duplicated.
 *
 * `--short` is what `npm run verify` runs: a few seconds per side.
 */
import path from 'node:path';
import { projectRoot } from '../harness/config';
import { stylerFor } from '../harness/output/style';
import { writeCacheAsideHtml } from './cache-aside/html';
import { formatCacheAsideReport } from './cache-aside/report';
import { KataNotSolvedError, runCacheAsideScenario, type CacheAsideReport, type Target } from './cache-aside/scenario';
import { k6Installed, pickDriver, type DriverName } from './drivers';
import { startChild, startMongo, startRedis, stopAll, type Stopper } from './infra';
import { formatRealtimeReport, type RealtimeDriver } from './realtime/report';
import { runRealtime } from './realtime/scenario';

const scenarios = ['cache-aside', 'realtime'] as const;
type Scenario = (typeof scenarios)[number];

interface Options {
  scenario: Scenario;
  short: boolean;
  json: boolean;
  driver?: DriverName | 'node';
  clients?: number;
  rate?: number;
  /** Whose code (cache-aside): the learner's (katas, the default) or the reference solution. */
  target: Target;
  /** File prefix of the cached runs' CPU profiles (cache-aside). */
  profile?: string;
  /** Where to write the HTML report (cache-aside). */
  html?: string;
}

export class PerfUsageError extends Error {
  readonly code = 'KATA_PERF_USAGE';
}

/** Flags followed by a value, so the value is not read as the scenario. */
const valueFlags = ['--driver', '--clients', '--rate', '--target', '--html'];

function flagValue(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new PerfUsageError(`${flag} needs a value.`);
  return value;
}

function positiveInteger(argv: string[], flag: string): number | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = argv[at + 1] ?? '';
  if (!/^[1-9]\d{0,4}$/.test(value)) throw new PerfUsageError(`${flag} ${JSON.stringify(value)} is not a whole number from 1 to 99999.`);
  return Number(value);
}

export function parseArgs(argv: string[]): Options {
  // --profile takes an optional prefix: the next word, unless it is the scenario.
  const profileAt = argv.indexOf('--profile');
  const next = argv[profileAt + 1];
  const profileValue = profileAt >= 0 && next && !next.startsWith('--') && !scenarios.includes(next as Scenario) ? next : undefined;
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !valueFlags.includes(argv[i - 1] ?? '') && !(i === profileAt + 1 && profileValue !== undefined));
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
  const target = flagValue(argv, '--target') ?? 'katas';
  if (target !== 'katas' && target !== 'solutions') throw new PerfUsageError(`--target ${JSON.stringify(target)} is not katas or solutions.`);
  return {
    scenario: scenario as Scenario,
    short: argv.includes('--short'),
    json: argv.includes('--json'),
    driver: driver as Options['driver'],
    clients: positiveInteger(argv, '--clients'),
    rate: positiveInteger(argv, '--rate'),
    target,
    profile: profileAt >= 0 ? (profileValue ?? `${scenario}-cached`) : undefined,
    html: flagValue(argv, '--html'),
  };
}

export async function runCacheAside(options: Options, progress: (line: string) => void): Promise<CacheAsideReport> {
  const driver = pickDriver(options.driver === 'node' ? undefined : options.driver);
  const stoppers: Stopper[] = [];
  try {
    progress('starting Redis and MongoDB…');
    const redisUrl = await startRedis(stoppers);
    const mongo = await startMongo(stoppers);
    const startServer = async (env: NodeJS.ProcessEnv) => {
      const started = await startChild(path.join(projectRoot, 'perf', 'cache-aside', 'server.ts'), env, stoppers);
      return { child: started.process, firstLine: started.firstLine };
    };
    return await runCacheAsideScenario({ ...options, driver }, { redisUrl, mongo, startServer }, progress);
  } finally {
    await stopAll(stoppers);
  }
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
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCacheAsideReport(report)}\n`);
  if (options.html) {
    writeCacheAsideHtml(report, options.html, formatCacheAsideReport(report, stylerFor({ isTTY: false })));
    process.stderr.write(`${style.dim(`HTML report: ${path.resolve(options.html)}`)}\n`);
  }
  const failures = report.shapes.reduce((sum, s) => sum + s.uncached.failures + s.cached.failures + s.ceiling.failures, 0);
  const mixFailures = report.writeMixes.reduce((sum, m) => sum + m.reads.failures + m.writes.failures, 0);
  if (failures + mixFailures > 0) throw new Error(`${failures + mixFailures} requests failed; the figures above are not comparable.`);
  const stale = report.writeMixes.reduce((sum, m) => sum + m.staleReads, 0);
  if (stale > 0) throw new Error(`${stale} stale reads: a read after an acknowledged write answered the old price.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof KataNotSolvedError ? 2 : 1;
  });
}
