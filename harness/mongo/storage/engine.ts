/**
 * The data held by one embedded server: databases of collections. Databases and
 * collections spring into existence on first write, as in mongod.
 */
import { MongoCommandError } from '../errors';
import { ServerParameters } from '../server-parameters';
import { DEFAULT_TTL_SWEEP_MS } from '../ttl';
import { Collection, type CollectionOptions, type Journal, type WatcherSlot } from './collection';

export class Database {
  readonly collections = new Map<string, Collection>();
  constructor(readonly name: string) {}
}

const NAME_RULES = /^[^\0$]+$/;

export class Engine {
  readonly databases = new Map<string, Database>();
  /** Who hears about writes to committed data (the session registry, for transactions). */
  readonly watcher: WatcherSlot = {};
  /** What `setParameter` changes at run time (the TTL monitor's period). */
  readonly parameters: ServerParameters;

  constructor(ttlSweepMs = DEFAULT_TTL_SWEEP_MS) {
    this.parameters = new ServerParameters(ttlSweepMs);
  }

  database(name: string): Database | undefined {
    return this.databases.get(name);
  }

  collection(dbName: string, name: string): Collection | undefined {
    return this.databases.get(dbName)?.collections.get(name);
  }

  /** Returns the collection, creating it (and its database) when absent; creation is journaled. */
  ensureCollection(dbName: string, name: string, journal?: Journal, options: CollectionOptions = {}): Collection {
    const existing = this.collection(dbName, name);
    if (existing) return existing;
    if (typeof name !== 'string' || !NAME_RULES.test(name) || name.startsWith('.') || name.startsWith('system.')) {
      throw new MongoCommandError('InvalidNamespace', `Invalid collection name: ${JSON.stringify(name)}`);
    }
    if (!NAME_RULES.test(dbName) || /[/\\. "]/.test(dbName)) {
      throw new MongoCommandError('InvalidNamespace', `Invalid database name: ${JSON.stringify(dbName)}`);
    }
    let db = this.databases.get(dbName);
    if (!db) {
      db = new Database(dbName);
      this.databases.set(dbName, db);
    }
    const collection = new Collection(dbName, name, options, this.watcher);
    db.collections.set(name, collection);
    // A transaction that created the collection drops it on abort, unless others wrote to it meanwhile.
    journal?.record(() => {
      if (collection.docs.size === 0 && this.collection(dbName, name) === collection) this.dropCollection(dbName, name);
    });
    return collection;
  }

  dropCollection(dbName: string, name: string): Collection | undefined {
    const db = this.databases.get(dbName);
    const collection = db?.collections.get(name);
    if (!db || !collection) return undefined;
    db.collections.delete(name);
    if (db.collections.size === 0) this.databases.delete(dbName);
    return collection;
  }

  dropDatabase(dbName: string): void {
    this.databases.delete(dbName);
  }
}
