import { createRequire } from 'node:module';

// Node's own require, not the one Jest gives each spec file.
const nodeRequire = createRequire(__filename);

/**
 * Loads a CommonJS package with Node's own `require`, once per process, outside
 * Jest's module registry. Jest loads every package afresh for each spec file; for
 * the tools the harness drives (redis-memory-server pulls in tar, a lock-file
 * package and their dependencies to start a redis-server) that is the package's
 * load time in every file that starts one, hundreds of times in a wrong-solution run.
 *
 * Only for packages whose objects stay inside the harness: they come from Node's
 * realm, not the spec file's, so `instanceof` and strict equality against the
 * spec's own globals would not hold for them. ES-module-only packages cannot be
 * loaded this way on Node 20.
 *
 * @example
 *   const { RedisMemoryServer } = loadOnce<typeof import('redis-memory-server')>('redis-memory-server');
 */
export function loadOnce<T>(name: string): T {
  return nodeRequire(name) as T;
}
