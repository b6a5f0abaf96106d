import type { RunningMongoEngine } from '../db/mongo-engine';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __kataMongoEngine?: RunningMongoEngine };
  await holder.__kataMongoEngine?.stop();
  delete holder.__kataMongoEngine;
  delete process.env.KATA_MONGO_URI;
  delete process.env.KATA_MONGO_ENGINE;
}
