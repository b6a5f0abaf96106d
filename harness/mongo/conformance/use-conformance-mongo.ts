/**
 * One visible setup call per conformance file: a MongoDB to run the same cases
 * against through the raw `mongodb` driver and mongoose. With MONGO_URL set it is
 * that server (a real mongod, replica set for the transaction cases); otherwise the
 * embedded engine, started in beforeAll and stopped in afterAll. Each file gets a
 * fresh database, dropped afterwards, and every client it handed out is closed.
 *
 * @example
 * const mongo = useConformanceMongo();
 * it('finds what it inserted', async () => {
 *   const users = mongo.db().collection('users');
 *   await users.insertOne({ email: 'a@b.c' });
 *   expect(await users.countDocuments()).toBe(1);
 * });
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { type Db, MongoClient, type MongoServerError } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { type EmbeddedMongo, startEmbeddedMongo } from '../index';

export interface ConformanceMongo {
  /** 'mongod' when MONGO_URL points at a real server. */
  readonly engine: 'embedded' | 'mongod';
  readonly uri: string;
  readonly dbName: string;
  /** The file's raw driver client (connected in beforeAll). */
  client(): MongoClient;
  db(): Db;
  /** A new mongoose connection to the file's database, closed in afterAll. */
  mongoose(): Promise<Connection>;
  /** A new raw client (closed in afterAll), for cases about several clients. */
  newClient(): Promise<MongoClient>;
  /** Embedded only: the engine, for cases that need its knobs. */
  embedded(): EmbeddedMongo | undefined;
}

/** Shortened so TTL cases finish quickly on the embedded engine. */
export const CONFORMANCE_TTL_SWEEP_MS = 200;

export function useConformanceMongo(): ConformanceMongo {
  const external = process.env.MONGO_URL;
  const dbName = `conformance_${randomBytes(4).toString('hex')}`;
  let embedded: EmbeddedMongo | undefined;
  let uri = external ?? '';
  let client: MongoClient | undefined;
  const clients: MongoClient[] = [];
  const connections: Connection[] = [];

  beforeAll(async () => {
    if (!external) {
      embedded = await startEmbeddedMongo({ ttlSweepMs: CONFORMANCE_TTL_SWEEP_MS });
      uri = embedded.uri;
    }
    client = await MongoClient.connect(uri);
  });

  afterAll(async () => {
    try {
      await client?.db(dbName).dropDatabase();
    } finally {
      await Promise.all(connections.map((c) => c.close()));
      await Promise.all(clients.map((c) => c.close()));
      await client?.close();
      await embedded?.stop();
    }
  });

  const ready = (): MongoClient => {
    if (!client) throw new Error('useConformanceMongo(): the client exists only inside tests (after beforeAll).');
    return client;
  };

  return {
    engine: external ? 'mongod' : 'embedded',
    get uri() {
      return uri;
    },
    dbName,
    client: ready,
    db: () => ready().db(dbName),
    async mongoose() {
      const connection = mongoose.createConnection(uri, { dbName });
      connections.push(connection);
      await connection.asPromise();
      return connection;
    },
    async newClient() {
      const extra = await MongoClient.connect(uri);
      clients.push(extra);
      return extra;
    },
    embedded: () => embedded,
  };
}

/** The error a driver call failed with; fails the test when the call succeeded. */
export async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    return error as MongoServerError;
  }
  throw new Error('expected the operation to fail with a MongoServerError');
}
