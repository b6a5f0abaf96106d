import type { MongoEngineChoice } from '../config';
import { readConfig } from '../config';
import { startEmbeddedMongo } from '../mongo';
import { readRecordedEnvironment } from '../setup/environment-file';
import { decideMongoEngine } from '../setup/mongo-engine';

/** A MongoDB server the whole Jest run shares; each spec file gets its own database in it. */
export interface RunningMongoEngine {
  engine: MongoEngineChoice;
  /** Server URI without a database name, e.g. `mongodb://127.0.0.1:40123/`. */
  uri: string;
  /** One line for people: which engine, and how to change it. */
  description: string;
  stop(): Promise<void>;
}

/**
 * Starts the engine the setup step chose (or decides now, without downloading,
 * when setup never ran): MONGO_URL → a real mongod as a one-node replica set →
 * the embedded engine. A real mongod runs as a replica set so transactions
 * behave as they do on the embedded engine, which also presents itself as one.
 */
export async function startMongoEngine(): Promise<RunningMongoEngine> {
  const config = readConfig();
  const recorded = readRecordedEnvironment();
  const decision =
    !config.mongoUrl && !config.mongoOverride && recorded
      ? recorded.mongo
      : await decideMongoEngine({ allowDownload: false });

  if (decision.engine === 'external' && config.mongoUrl) {
    await assertReachable(config.mongoUrl);
    return {
      engine: 'external',
      uri: config.mongoUrl,
      description: `MongoDB: your server at MONGO_URL (${redactCredentials(config.mongoUrl)})`,
      stop: async () => {},
    };
  }

  if (decision.engine === 'mongod') {
    const { MongoMemoryReplSet } = await import('mongodb-memory-server');
    const replSet = await MongoMemoryReplSet.create({
      replSet: { count: 1, storageEngine: 'wiredTiger' },
      binary: decision.mongodBinary ? { systemBinary: decision.mongodBinary } : {},
    });
    return {
      engine: 'mongod',
      uri: replSet.getUri(),
      description: `MongoDB: real mongod (${decision.mongodBinary ?? 'mongodb-memory-server'}); KATA_MONGO=embedded switches`,
      stop: async () => {
        await replSet.stop();
      },
    };
  }

  const embedded = await startEmbeddedMongo();
  return {
    engine: 'embedded',
    uri: embedded.uri,
    description: 'MongoDB: embedded engine (harness/mongo); MONGO_URL or KATA_MONGO=mongod switches',
    stop: () => embedded.stop(),
  };
}

/** Thrown when MONGO_URL names a server that does not answer: said once, before any spec runs. */
export class MongoUnreachableError extends Error {
  readonly code = 'KATA_MONGO_UNREACHABLE';
  constructor(url: string, cause: unknown) {
    super(
      `MONGO_URL="${redactCredentials(url)}" does not answer (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}). ` +
        'Start that MongoDB (or correct MONGO_URL), or unset MONGO_URL to use the embedded engine.',
      { cause },
    );
    this.name = 'MongoUnreachableError';
  }
}

/** One ping with a short server-selection timeout, so a wrong URL fails the run at once, not every spec after 30 s. */
async function assertReachable(url: string): Promise<void> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    throw new MongoUnreachableError(url, error);
  } finally {
    await client.close().catch(() => {});
  }
}

function redactCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]+@/, '//***@');
}
