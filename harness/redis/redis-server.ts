import type { RedisMemoryServer } from 'redis-memory-server';
import { loadOnce } from '../jest/load-once';
import { readRecordedEnvironment } from '../setup/environment-file';
import { locateRedisBinary, RedisBinaryMissingError } from '../setup/redis-binary';

/**
 * A redis-server of the machine's own binary (found as `npm run setup` recorded it),
 * not yet started: for a spec file's own server (useRedis) and a grading's shared one
 * (shareRedis). redis-memory-server is loaded on the first call, not with the harness
 * (most spec files never start a Redis), and once per process (see loadOnce).
 */
export async function newRedisServer(args: string[] = []): Promise<RedisMemoryServer> {
  const binary = await locateRedisBinary(readRecordedEnvironment()?.redis?.binary);
  if (!binary) throw new RedisBinaryMissingError('not on PATH, not recorded by `npm run setup`');
  const { RedisMemoryServer } = loadOnce<typeof import('redis-memory-server')>('redis-memory-server');
  return new RedisMemoryServer({ binary: { systemBinary: binary.binary }, ...(args.length > 0 ? { instance: { args } } : {}), autoStart: false });
}
