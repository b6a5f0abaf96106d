import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from '@jest/globals';
import mongoose, { type Connection } from 'mongoose';
import { INFRASTRUCTURE_START_TIMEOUT_MS } from '../config';
import type * as MongoEngineModule from './mongo-engine';
import type { RunningMongoEngine } from './mongo-engine';

export interface MongoHandle {
  /** URI of this spec file's own database (valid once `beforeAll` ran). */
  readonly uri: string;
  /** This spec file's database name, unique per file and run. */
  readonly dbName: string;
  /** mongoose's default connection, connected to {@link uri}. */
  readonly connection: Connection;
}

/**
 * Gives the calling spec file an isolated MongoDB database: created on first
 * use, emptied after every test (documents go, indexes stay, so unique indexes
 * keep working), dropped when the file ends.
 *
 * It connects mongoose's *default* connection, because Jest gives every spec
 * file its own module registry: models a kata defines with `mongoose.model()`
 * see this file's database and no other's.
 *
 * @example
 *   const mongo = useMongo();
 *   it('stores a user', async () => {
 *     await User.create({ email: 'ada@example.com' });
 *     expect(await mongo.connection.collection('users').countDocuments()).toBe(1);
 *   });
 */
export function useMongo(): MongoHandle {
  const dbName = uniqueDatabaseName(expect.getState().testPath);
  let uri: string | undefined;
  let ownEngine: RunningMongoEngine | undefined;

  beforeAll(async () => {
    let serverUri = process.env.KATA_MONGO_URI;
    if (!serverUri) {
      // Run without the project's Jest config (an editor plugin, say): start our own.
      // Imported here, not at the top: the engine's code is the heaviest part of the
      // harness, and every spec file would load it for nothing.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startMongoEngine } = require('./mongo-engine') as typeof MongoEngineModule;
      const engine = await startMongoEngine();
      ownEngine = engine;
      serverUri = engine.uri;
    }
    uri = withDatabase(serverUri, dbName);
    await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  }, INFRASTRUCTURE_START_TIMEOUT_MS);

  afterEach(async () => {
    const db = mongoose.connection.db;
    if (!db || mongoose.connection.readyState !== 1) return;
    const collections = await db.collections();
    await Promise.all(collections.map((collection) => collection.deleteMany({})));
  });

  afterAll(async () => {
    if (mongoose.connection.readyState === 1) {
      await mongoose.connection.dropDatabase();
    }
    await mongoose.disconnect();
    await ownEngine?.stop();
  });

  return {
    get uri() {
      if (!uri) throw new Error('useMongo(): the URI exists once beforeAll has run; read it inside a test or hook.');
      return uri;
    },
    dbName,
    get connection() {
      return mongoose.connection;
    },
  };
}

function uniqueDatabaseName(testPath: string | undefined): string {
  const base = path.basename(testPath ?? 'spec').replace(/\.(spec|test)\.[jt]s$/, '');
  // MongoDB database names: at most 63 bytes, none of /\. "$ and no spaces.
  const safe = base.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 40);
  return `kata_${safe}_${randomBytes(4).toString('hex')}`;
}

/**
 * Puts `dbName` into the URI's path, keeping hosts and the query string
 * (replicaSet, auth…). Not `new URL()`: a seed list like `a:1,b:2` is not a
 * valid WHATWG host.
 */
export function withDatabase(serverUri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?([^?]*)(\?.*)?$/.exec(serverUri);
  if (!match) throw new Error(`Not a MongoDB connection string: "${serverUri}"`);
  return `${match[1]}/${dbName}${match[3] ?? ''}`;
}
