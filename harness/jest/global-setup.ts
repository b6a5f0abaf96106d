import { startMongoEngine, type RunningMongoEngine } from '../db/mongo-engine';

/**
 * Starts one MongoDB engine for the whole Jest run. Workers are forked after
 * this runs, so the URI reaches them through the environment; `useMongo()`
 * then gives each spec file its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.KATA_MONGO_URI) return; // an outer run already started one
  const engine = await startMongoEngine();
  process.env.KATA_MONGO_URI = engine.uri;
  process.env.KATA_MONGO_ENGINE = engine.engine;
  (globalThis as { __kataMongoEngine?: RunningMongoEngine }).__kataMongoEngine = engine;
  if (!process.env.KATA_QUIET) console.log(`\n${engine.description}`);
}
