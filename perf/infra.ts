/**
 * What every perf scenario starts before it measures anything: Redis,
 * MongoDB, and the app under test in a child process (so that the load
 * generator and the app never share one event loop). Each start pushes its
 * stopper; `stopAll` stops them newest first, whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { RedisMemoryServer } from 'redis-memory-server';
import { projectRoot, readConfig } from '../harness/config';
import { startMongoEngine } from '../harness/db/mongo-engine';
import { readRecordedEnvironment } from '../harness/setup/environment-file';
import { locateRedisBinary, RedisBinaryMissingError } from '../harness/setup/redis-binary';

/** Something started for the run, stopped in reverse order whatever happens. */
export type Stopper = () => Promise<void>;

export async function stopAll(stoppers: Stopper[]): Promise<void> {
  for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => {});
}

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

/** A child started with tsx: its stdin and stdout are pipes, its stderr is ours. */
export interface Child {
  process: ChildProcess;
  /** The first line it wrote: what it says once it is ready. */
  firstLine: string;
  /** Every later stdout line, in order (a child answering requests on stdin). */
  lines: AsyncIterator<string>;
}

/** Starts a child with tsx and resolves once it wrote its first stdout line. */
export async function startChild(script: string, env: NodeJS.ProcessEnv, stoppers: Stopper[]): Promise<Child> {
  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [script], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  stoppers.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${path.relative(projectRoot, script)} exited with ${code} before it was ready (its messages are above).`)));
    lines.next().then((line) => (line.done ? undefined : resolve(line.value)), reject);
  });
  return { process: child, firstLine, lines };
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

/** One column of a report table: a header and how wide it is (right-aligned). */
export interface Column {
  header: string;
  width?: number;
}

/**
 * A plain-text table, as every scenario prints it: a left column of row
 * names `nameWidth` wide, then right-aligned cells.
 */
export function formatTable(nameWidth: number, columns: Column[], rows: Array<[string, ...string[]]>): string[] {
  const line = (name: string, cells: string[]) =>
    `  ${name.padEnd(nameWidth)}${cells.map((cell, i) => ` ${cell.padStart(columns[i]?.width ?? 9)}`).join('')}`;
  return [line('', columns.map((c) => c.header)), ...rows.map(([name, ...cells]) => line(name, cells))];
}
