import type { RunningMongoEngine } from '../db/mongo-engine';

/**
 * Starts one MongoDB engine for the whole Jest run. Workers are forked after
 * this runs, so the URI reaches them through the environment; `useMongo()`
 * then gives each spec file its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  // An outer run already started one: a grader's Jest child, whose start waits for this.
  if (process.env.KATA_MONGO_URI) return;
  // Imported only here: the embedded engine's modules are half a CPU-second to load, which the
  // grader's child paid for nothing at every grading.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startMongoEngine } = require('../db/mongo-engine') as typeof import('../db/mongo-engine');
  const engine = await startMongoEngine();
  process.env.KATA_MONGO_URI = engine.uri;
  process.env.KATA_MONGO_ENGINE = engine.engine;
  (globalThis as { __kataMongoEngine?: RunningMongoEngine }).__kataMongoEngine = engine;
  if (!process.env.KATA_QUIET) console.log(`\n${engine.description}`);
}
