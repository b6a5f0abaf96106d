import Redis from 'ioredis';
import { newRedisServer } from './redis-server';

/** The variable through which a redis-server started once (by a grader) reaches `useRedis()`. */
export const sharedRedisVariable = 'KATA_REDIS_SHARED_URL';

/**
 * Databases of the shared server. Database 0 holds the free list; every spec file
 * that runs at the same time holds one of the others (a grading runs two or three).
 */
const databases = 64;
const freeList = 'kata:free-databases';

/**
 * Starts one `redis-server` for many runs of the same tests (a grader running a
 * suite against each mutant): a spec file run with the returned variable in its
 * environment gets a database of its own on it from `useRedis()`, instead of
 * starting a server of its own (a process, a watchdog process and a package to
 * load, each time). Fault injection needs a server of one's own, so `useRedis()`
 * refuses `stop()` and `freeze()` on a shared server.
 *
 * @example
 *   const shared = await shareRedis();
 *   … run the suites with shared.env in their environment …
 *   await shared.close();
 */
export async function shareRedis(): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const server = await newRedisServer(['--databases', String(databases)]);
  await server.start();
  const url = `redis://${await server.getHost()}:${await server.getPort()}`;
  const admin = new Redis(url, { lazyConnect: true });
  try {
    await admin.connect();
    await admin.sadd(freeList, ...Array.from({ length: databases - 1 }, (_, index) => index + 1));
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    await closeAdmin(admin);
  }
  return { env: { [sharedRedisVariable]: url }, close: async () => void (await server.stop()) };
}

/** Thrown when every database of the shared server is taken (more spec files at once than it has). */
export class SharedRedisFullError extends Error {
  readonly code = 'KATA_REDIS_SHARED_FULL';
  constructor() {
    super(`The shared redis-server has no free database left (${databases - 1} spec files at once).`);
    this.name = 'SharedRedisFullError';
  }
}

/** Takes a free database of the shared server, emptied, for one spec file. */
export async function claimSharedDatabase(url: string): Promise<number> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin.connect();
    const taken = await admin.spop(freeList);
    if (taken === null) throw new SharedRedisFullError();
    const db = Number(taken);
    await admin.select(db);
    await admin.flushdb();
    return db;
  } finally {
    await closeAdmin(admin);
  }
}

/** Empties a database taken with claimSharedDatabase() and hands it back. */
export async function releaseSharedDatabase(url: string, db: number): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, db });
  try {
    await admin.connect();
    await admin.flushdb();
    await admin.select(0);
    await admin.sadd(freeList, db);
  } finally {
    await closeAdmin(admin);
  }
}

/** QUIT waits for the socket to close; disconnect() would leave a timer Jest reports. */
async function closeAdmin(admin: Redis): Promise<void> {
  if (admin.status === 'ready') await admin.quit().catch(() => admin.disconnect());
  else admin.disconnect();
}
