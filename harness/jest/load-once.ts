import Module from 'node:module';
import path from 'node:path';

/**
 * A module of Node's own, through which packages load outside Jest's registry.
 * Inside a spec file `node:module` is Jest's stand-in: its `createRequire` hands
 * back the spec file's require (Jest's registry: every file loads afresh, which
 * made this helper load playwright-core in each spec file, 0.6 s apiece). Its
 * `Module` class still extends Node's, whose `require` goes through Node's loader
 * and cache, so a module object made here is the way out of the sandbox.
 */
const host = new Module(__filename) as NodeJS.Module & { paths: string[] };
host.filename = __filename;
host.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(__filename));

/**
 * Loads a CommonJS package with Node's own `require`, once per process, outside
 * Jest's module registry. Jest loads every package afresh for each spec file; for
 * the tools the harness drives (playwright-core is 7 MB of JavaScript; redis-memory-server
 * pulls in tar, a lock-file package and their dependencies to start a redis-server) that
 * is the package's load time in every file that uses one, hundreds of times in a
 * wrong-solution run.
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
  return host.require(name) as T;
}
