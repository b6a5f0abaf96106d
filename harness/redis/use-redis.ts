import { afterAll, afterEach, beforeAll } from '@jest/globals';
import Redis, { type RedisOptions } from 'ioredis';
import type { RedisMemoryServer } from 'redis-memory-server';
import { INFRASTRUCTURE_START_TIMEOUT_MS } from '../config';
import { newRedisServer } from './redis-server';
import { claimSharedDatabase, releaseSharedDatabase, sharedRedisVariable } from './share-redis';

type RedisState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped' | 'frozen';

/** A call that does not fit the server's current state, e.g. `stop()` twice. */
export class RedisStateError extends Error {
  readonly code = 'KATA_REDIS_STATE';
  constructor(call: string, actual: RedisState, expected: RedisState) {
    super(`useRedis().${call}() needs state "${expected}", but the server is "${actual}".`);
    this.name = 'RedisStateError';
  }
}

/** Fault injection asked of a server shared with other runs (see shareRedis()). */
export class RedisSharedError extends Error {
  readonly code = 'KATA_REDIS_SHARED';
  constructor(call: string) {
    super(
      `useRedis().${call}() needs a redis-server of this file's own, but this run shares one with other runs ` +
        `(${sharedRedisVariable} is set, as a grader does): stopping or freezing it would reach them too.`,
    );
    this.name = 'RedisSharedError';
  }
}

export interface RedisHandle {
  /** `redis://127.0.0.1:PORT` (`/DB` on a shared server), stable across `stop()`/`start()`. */
  readonly url: string;
  /** On a shared server, host and port alone reach database 0, not the file's: connect with `url` or createClient(). */
  readonly host: string;
  readonly port: number;
  /**
   * A new ioredis client for this server, disconnected when the file ends.
   * Pass options to tune retries for fault-injection specs.
   */
  createClient(options?: RedisOptions): Redis;
  /** Stops the server (fault injection); clients see a dead connection. */
  stop(): Promise<void>;
  /** Starts it again on the same port; data is gone (persistence is off). */
  start(): Promise<void>;
  /**
   * Suspends the server process (SIGSTOP): connections stay open and commands
   * are accepted but never answered, which is how a hung Redis looks to a
   * client, unlike `stop()`'s refused connection. Undo with `thaw()`.
   */
  freeze(): Promise<void>;
  /** Resumes a frozen server; the commands it held are answered then. */
  thaw(): Promise<void>;
  readonly state: RedisState;
}

/**
 * A real `redis-server` for the calling spec file (its own process and port,
 * so one file's fault injection never touches another's), flushed after
 * every test and shut down when the file ends. When the environment names a
 * shared server (shareRedis(), started once by a grader for all its runs), the
 * file gets a database of its own on it instead, and `stop()`/`freeze()` refuse.
 *
 * @example
 *   const redis = useRedis();
 *   it('answers from MongoDB when Redis is down', async () => {
 *     await redis.stop();
 *     // ...request the app...
 *     await redis.start();
 *   });
 */
export function useRedis(): RedisHandle {
  let server: RedisMemoryServer | undefined;
  let state: RedisState = 'new';
  let host = '127.0.0.1';
  let port = 0;
  const clients = new Set<Redis>();
  // Read when the file's hooks run, so that a file may set it in an earlier beforeAll.
  let sharedUrl: string | undefined;
  // The database this file holds on the shared server; 0 on a server of its own.
  let db = 0;

  async function start(): Promise<void> {
    if (state !== 'new' && state !== 'stopped') throw new RedisStateError('start', state, 'stopped');
    state = 'starting';
    sharedUrl ??= process.env[sharedRedisVariable];
    if (sharedUrl) {
      try {
        db = await claimSharedDatabase(sharedUrl);
      } catch (error) {
        state = 'new';
        throw error;
      }
      const shared = new URL(sharedUrl);
      host = shared.hostname;
      port = Number(shared.port);
      state = 'running';
      return;
    }
    try {
      server ??= await newRedisServer();
      await server.start();
      host = await server.getHost();
      port = await server.getPort();
      state = 'running';
    } catch (error) {
      // A failed start stops what it started.
      state = 'stopped';
      await server?.stop().catch(() => {});
      throw error;
    }
  }

  async function stop(): Promise<void> {
    if (sharedUrl) throw new RedisSharedError('stop');
    if (state !== 'running') throw new RedisStateError('stop', state, 'running');
    state = 'stopping';
    await server!.stop();
    state = 'stopped';
  }

  function serverProcess() {
    const info = server?.getInstanceInfo();
    const child = info ? info.childProcess : undefined;
    if (!child) throw new Error('useRedis(): the redis-server process is not known.');
    return child;
  }

  async function freeze(): Promise<void> {
    if (sharedUrl) throw new RedisSharedError('freeze');
    if (state !== 'running') throw new RedisStateError('freeze', state, 'running');
    serverProcess().kill('SIGSTOP');
    state = 'frozen';
  }

  async function thaw(): Promise<void> {
    if (state !== 'frozen') throw new RedisStateError('thaw', state, 'frozen');
    serverProcess().kill('SIGCONT');
    state = 'running';
  }

  /** A client of this file's, disconnected when the file ends, with the copies made of it. */
  function track(client: Redis): Redis {
    // Connection errors during fault injection are expected; the spec asserts
    // on the app's behaviour, not on ioredis's log lines.
    client.on('error', () => {});
    clients.add(client);
    client.once('end', () => clients.delete(client));
    // A library's own connections are copies of the client it was given (the streams adapter
    // reads with one, blocked in XREAD): left open when the server stopped, each retried its
    // command through reconnections for over a minute, and the test process waited for it.
    const duplicate = client.duplicate.bind(client);
    client.duplicate = (override) => track(duplicate(override));
    return client;
  }

  beforeAll(start, INFRASTRUCTURE_START_TIMEOUT_MS);

  afterEach(async () => {
    // A test that stopped the server and failed before restarting it must not
    // leave the next test without one; nor one that froze it.
    if (state === 'frozen') await thaw();
    if (state === 'stopped') await start();
    if (state !== 'running') return;
    const admin = new Redis({ host, port, db, lazyConnect: true, maxRetriesPerRequest: 1, disconnectTimeout: 50 });
    try {
      await admin.connect();
      // On a shared server the other databases belong to other runs.
      await (sharedUrl ? admin.flushdb() : admin.flushall());
    } finally {
      await closeClient(admin);
    }
  }, INFRASTRUCTURE_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all([...clients].map(closeClient));
    clients.clear();
    if (sharedUrl && state === 'running') {
      state = 'stopped';
      await releaseSharedDatabase(sharedUrl, db);
      return;
    }
    if (state === 'frozen') await thaw();
    if (state === 'running') await stop();
  });

  return {
    get url() {
      return `redis://${host}:${port}${db === 0 ? '' : `/${db}`}`;
    },
    get host() {
      return host;
    },
    get port() {
      return port;
    },
    get state() {
      return state;
    },
    createClient(options: RedisOptions = {}) {
      if (port === 0) throw new Error('useRedis(): create clients inside a test or hook, once beforeAll has run.');
      return track(new Redis({ host, port, db, disconnectTimeout: 50, ...options }));
    },
    stop,
    freeze,
    thaw,
    start,
  };
}

/**
 * Disconnects and waits for the socket to close: ioredis arms a timer on
 * `disconnect()` that only the close event clears, and Jest would report it.
 */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  const live = client.status === 'ready' || client.status === 'connect' || client.status === 'connecting';
  const ended = live ? new Promise<void>((resolve) => client.once('end', () => resolve())) : undefined;
  client.disconnect();
  // A client between reconnection attempts has no live socket and emits no
  // 'end'; its short disconnectTimeout (see createClient) ends on its own.
  await ended;
}
