/**
 * `npm run perf -- cache-aside [--short] [--json] [--driver k6|autocannon]
 *   [--target katas|solutions] [--profile [prefix]] [--html report.html]`
 *
 * Measures what the cache-aside kata buys, as ratios within one run: boots
 * Redis, MongoDB and the kata's app (the learner's by default, in a child
 * process), and for three request shapes drives the same URLs against the app
 * uncached, cached, and against the ceiling (a constant body), with k6 when it
 * is on PATH and otherwise with autocannon; then read/write mixes, checked for
 * stale reads (perf/cache-aside/scenario.ts). `--short` (for `npm run verify`)
 * runs 1 s each on a smaller catalogue. Exits 1 when a run fails (errors,
 * non-2xx answers, stale reads); the timings are reported, never asserted.
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
import { writeCacheAsideHtml } from './cache-aside/html';
import { formatCacheAsideReport } from './cache-aside/report';
import { KataNotSolvedError, runCacheAsideScenario, type CacheAsideReport, type Target } from './cache-aside/scenario';
import { pickDriver, type DriverName } from './drivers';

const scenarios = ['cache-aside'] as const;
type Scenario = (typeof scenarios)[number];

interface Options {
  scenario: Scenario;
  short: boolean;
  json: boolean;
  driver?: DriverName;
  /** Whose code: the learner's (katas, the default) or the reference solution. */
  target: Target;
  /** File prefix of the cached runs' CPU profiles. */
  profile?: string;
  /** Where to write the HTML report. */
  html?: string;
}

/** Flags followed by a value, so the value is not read as the scenario. */
const valueFlags = ['--driver', '--target', '--html'];

function flagValue(argv: string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new PerfUsageError(`${flag} needs a value.`);
  return value;
}

export class PerfUsageError extends Error {
  readonly code = 'KATA_PERF_USAGE';
}

export function parseArgs(argv: string[]): Options {
  // --profile takes an optional prefix: the next word, unless it is the scenario.
  const profileAt = argv.indexOf('--profile');
  const profileValue = profileAt >= 0 && argv[profileAt + 1] && !argv[profileAt + 1]!.startsWith('--') && !scenarios.includes(argv[profileAt + 1] as Scenario) ? argv[profileAt + 1] : undefined;
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && !valueFlags.includes(argv[i - 1]!) && !(i === profileAt + 1 && profileValue !== undefined));
  const scenario = positional[0];
  if (!scenarios.includes(scenario as Scenario)) {
    throw new PerfUsageError(`Unknown scenario ${JSON.stringify(scenario ?? '')}: expected one of ${scenarios.join(', ')}. Try \`npm run perf -- cache-aside --short\`.`);
  }
  const driverAt = argv.indexOf('--driver');
  const driver = driverAt >= 0 ? argv[driverAt + 1] : undefined;
  if (driver !== undefined && driver !== 'k6' && driver !== 'autocannon') {
    throw new PerfUsageError(`--driver ${JSON.stringify(driver)} is not k6 or autocannon.`);
  }
  const target = flagValue(argv, '--target') ?? 'katas';
  if (target !== 'katas' && target !== 'solutions') throw new PerfUsageError(`--target ${JSON.stringify(target)} is not katas or solutions.`);
  return {
    scenario: scenario as Scenario,
    short: argv.includes('--short'),
    json: argv.includes('--json'),
    driver,
    target,
    profile: profileAt >= 0 ? (profileValue ?? `${scenario}-cached`) : undefined,
    html: flagValue(argv, '--html'),
  };
}

/** Something started for the run, stopped in reverse order whatever happens. */
type Stopper = () => Promise<void>;

export async function startRedis(stoppers: Stopper[]): Promise<string> {
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
export async function startChild(script: string, env: NodeJS.ProcessEnv, stoppers: Stopper[]): Promise<{ child: ChildProcess; firstLine: string }> {
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
export async function startMongo(stoppers: Stopper[]): Promise<{ uri: string; engine: string }> {
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

export async function runCacheAside(options: Options, progress: (line: string) => void): Promise<CacheAsideReport> {
  const driver = pickDriver(options.driver);
  const stoppers: Stopper[] = [];
  try {
    progress('starting Redis and MongoDB…');
    const redisUrl = await startRedis(stoppers);
    const mongo = await startMongo(stoppers);
    const startServer = (env: NodeJS.ProcessEnv) => startChild(path.join(projectRoot, 'perf', 'cache-aside', 'server.ts'), env, stoppers);
    return await runCacheAsideScenario({ ...options, driver }, { redisUrl, mongo, startServer }, progress);
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const style = stylerFor(process.stderr);
  const report = await runCacheAside(options, (line) => process.stderr.write(`${style.dim(line)}\n`));
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
