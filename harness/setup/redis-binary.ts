import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import RedisMemoryServerBinary from 'redis-memory-server/lib/util/RedisBinary';
import { readConfig } from '../config';
import { onPath } from './on-path';

const run = promisify(execFile);

export type RedisSource = 'REDISMS_SYSTEM_BINARY' | 'PATH' | 'redis-memory-server' | 'apt-get' | 'recorded';

export interface RedisBinary {
  binary: string;
  version: string;
  source: RedisSource;
}

/** Thrown when no usable `redis-server` exists; the message says what to install. */
export class RedisBinaryMissingError extends Error {
  readonly code = 'KATA_REDIS_MISSING';
  constructor(detail: string) {
    super(
      `No redis-server binary is usable (${detail}). Install one ` +
        '(Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) ' +
        'or point REDISMS_SYSTEM_BINARY at it, then run `npm run setup`.',
    );
    this.name = 'RedisBinaryMissingError';
  }
}

/** Thrown when REDISMS_SYSTEM_BINARY is set but names nothing that runs: an explicit choice is never skipped. */
export class RedisBinaryInvalidError extends Error {
  readonly code = 'KATA_REDIS_BINARY_INVALID';
  constructor(readonly binary: string) {
    super(
      `REDISMS_SYSTEM_BINARY="${binary}" is not a redis-server that runs (\`${binary} --version\` failed). ` +
        'Point it at a working one (`which redis-server`), or unset it to use the one `npm run setup` recorded.',
    );
    this.name = 'RedisBinaryInvalidError';
  }
}

/** `redis-server --version` → "7.0.15", or undefined when the file cannot run. */
export async function redisVersion(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 5_000 });
    return /v=(\S+)/.exec(stdout)?.[1] ?? stdout.trim();
  } catch {
    return undefined;
  }
}

async function usable(binary: string | undefined, source: RedisSource): Promise<RedisBinary | undefined> {
  if (!binary) return undefined;
  const version = await redisVersion(binary);
  return version ? { binary, version, source } : undefined;
}

/**
 * The fast lookup that test runs use: explicit variable, then what setup
 * recorded, then PATH. Never downloads or installs anything. A variable that
 * names a binary that cannot run is an error ({@link RedisBinaryInvalidError}),
 * not a reason to quietly use another one.
 */
export async function locateRedisBinary(recorded?: string): Promise<RedisBinary | undefined> {
  const { redisBinary } = readConfig();
  if (redisBinary) {
    const explicit = await usable(redisBinary, 'REDISMS_SYSTEM_BINARY');
    if (!explicit) throw new RedisBinaryInvalidError(redisBinary);
    return explicit;
  }
  return (
    (await usable(recorded, 'recorded')) ??
    (await usable(onPath('redis-server'), 'PATH'))
  );
}

/**
 * The setup step's full search, in the documented order:
 * REDISMS_SYSTEM_BINARY → PATH → redis-memory-server's download and build
 * (needs internet and a compiler) → `apt-get install redis-server` when root
 * with apt available. Returns undefined when nothing worked.
 */
export async function provisionRedisBinary(say: (line: string) => void): Promise<RedisBinary | undefined> {
  const found = await locateRedisBinary();
  if (found) return found;

  try {
    say('redis-server not found: asking redis-memory-server to download and build one...');
    const built = await usable(await RedisMemoryServerBinary.getPath(), 'redis-memory-server');
    if (built) return built;
  } catch (error) {
    say(`redis-memory-server could not build one (${firstLine(error)}).`);
  }

  if (process.getuid?.() === 0 && onPath('apt-get')) {
    say('Installing redis-server with apt-get (running as root, nothing else available)...');
    try {
      await run('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
        timeout: 300_000,
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // The package lists may be missing on a fresh machine: refresh them once.
      try {
        await run('apt-get', ['update'], { timeout: 300_000 });
        await run('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
          timeout: 300_000,
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        });
      } catch (error) {
        say(`apt-get could not install redis-server (${firstLine(error)}).`);
      }
    }
    const installed = await usable(onPath('redis-server') ?? '/usr/bin/redis-server', 'apt-get');
    if (installed) return installed;
  }
  return undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
