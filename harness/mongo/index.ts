/**
 * The embedded MongoDB engine: a MongoDB wire-protocol server that the real
 * `mongodb` driver (and so mongoose) talks to over TCP as it would to `mongod`.
 * Built on `bson` (wire format) and `mingo` (query language); see README.md.
 *
 * @example
 * const mongo = await startEmbeddedMongo();
 * await mongoose.connect(mongo.uri);           // mongodb://127.0.0.1:PORT/
 * // ...
 * await mongoose.disconnect();
 * await mongo.stop();
 */
import { EngineStateError, type EngineState } from './errors';
import { CursorRegistry } from './storage/cursors';
import { Engine } from './storage/engine';
import { SessionRegistry } from './transactions';
import { DEFAULT_TTL_SWEEP_MS, sweepExpired, TtlMonitor } from './ttl';
import { WireServer } from './server';

export { EngineStateError } from './errors';
export { DEFAULT_TTL_SWEEP_MS } from './ttl';

export interface EmbeddedMongoOptions {
  /** TCP port; 0 (the default) picks a free one, reported in `uri`. */
  port?: number;
  /** How often TTL indexes are swept; mongod's 60 s by default, specs shorten it. */
  ttlSweepMs?: number;
  /** Replica set name reported by `hello`. */
  replSetName?: string;
}

export interface EmbeddedMongo {
  readonly uri: string;
  readonly port: number;
  readonly state: EngineState;
  /** Runs one TTL pass now (specs use it to avoid waiting for the timer). */
  sweepTtl(): number;
  /** Closes every socket and timer. Calling it again is harmless. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

class EmbeddedMongoServer implements EmbeddedMongo {
  private current: EngineState = 'new';
  private boundPort = 0;
  private readonly engine: Engine;
  private readonly cursors = new CursorRegistry();
  private readonly sessions: SessionRegistry;
  private readonly ttl: TtlMonitor;
  private readonly wire: WireServer;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: EmbeddedMongoOptions) {
    this.engine = new Engine(options.ttlSweepMs ?? DEFAULT_TTL_SWEEP_MS);
    this.sessions = new SessionRegistry(this.engine);
    this.ttl = new TtlMonitor(this.engine);
    const server = { host: HOST, port: 0, setName: options.replSetName ?? 'rs0', startedAt: new Date() };
    this.wire = new WireServer({ engine: this.engine, cursors: this.cursors, sessions: this.sessions, server });
    this.serverInfo = server;
  }

  private readonly serverInfo: { port: number };

  get state(): EngineState {
    return this.current;
  }

  get port(): number {
    this.expect(['running']);
    return this.boundPort;
  }

  get uri(): string {
    return `mongodb://${HOST}:${this.port}/`;
  }

  private expect(states: EngineState[]): void {
    if (!states.includes(this.current)) throw new EngineStateError(states, this.current);
  }

  async start(): Promise<void> {
    this.expect(['new']);
    this.current = 'starting';
    try {
      this.boundPort = await this.wire.listen(this.options.port ?? 0, HOST);
      this.serverInfo.port = this.boundPort;
      this.ttl.start();
      this.current = 'running';
    } catch (error) {
      // A failed start stops what it started.
      this.ttl.stop();
      await this.wire.close();
      this.current = 'stopped';
      throw error;
    }
  }

  sweepTtl(): number {
    this.expect(['running']);
    return sweepExpired(this.engine);
  }

  stop(): Promise<void> {
    if (this.current === 'new') throw new EngineStateError(['running', 'stopped'], 'new');
    this.stopping ??= (async () => {
      this.current = 'stopping';
      this.ttl.stop();
      await this.wire.close();
      this.cursors.clear();
      this.sessions.clear();
      this.current = 'stopped';
    })();
    return this.stopping;
  }
}

/**
 * Starts an embedded MongoDB on 127.0.0.1 (port 0 by default) and resolves once it
 * accepts connections.
 *
 * @example
 * const mongo = await startEmbeddedMongo({ ttlSweepMs: 100 });
 * const client = await MongoClient.connect(mongo.uri);
 */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const server = new EmbeddedMongoServer(options);
  await server.start();
  return server;
}
