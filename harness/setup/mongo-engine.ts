import fs from 'node:fs';
import { DryMongoBinary, MongoBinary } from 'mongodb-memory-server';
import { readConfig, type MongoEngineChoice } from '../config';
import { onPath } from './on-path';

export interface MongoEngineDecision {
  engine: MongoEngineChoice;
  mongodBinary?: string;
  /** One line a person can read: why this engine. */
  reason: string;
}

/**
 * A mongod binary that exists right now, without downloading:
 * MONGOMS_SYSTEM_BINARY, mongodb-memory-server's cache, then PATH.
 */
export async function locateMongod(): Promise<string | undefined> {
  const explicit = process.env.MONGOMS_SYSTEM_BINARY;
  if (explicit && fs.existsSync(explicit)) return explicit;
  try {
    const cached = await DryMongoBinary.locateBinary({ version: undefined } as never);
    if (cached && fs.existsSync(cached)) return cached;
  } catch {
    // an unknown platform makes the dry lookup throw; PATH may still help
  }
  return onPath('mongod');
}

/**
 * Decides which MongoDB the specs use. `allowDownload` is true only in the
 * setup step: offline, mongodb-memory-server's download takes seconds to fail,
 * and a test run must never pay that.
 */
export async function decideMongoEngine(options: {
  allowDownload: boolean;
  say?: (line: string) => void;
}): Promise<MongoEngineDecision> {
  const config = readConfig();
  if (config.mongoUrl) {
    return { engine: 'external', reason: 'MONGO_URL is set' };
  }
  if (config.mongoOverride === 'embedded') {
    return { engine: 'embedded', reason: 'KATA_MONGO=embedded' };
  }
  const existing = await locateMongod();
  if (existing) {
    return { engine: 'mongod', mongodBinary: existing, reason: `found ${existing}` };
  }
  if (options.allowDownload) {
    options.say?.('Looking for a mongod through mongodb-memory-server (downloads once when online)...');
    try {
      const downloaded = await MongoBinary.getPath();
      return { engine: 'mongod', mongodBinary: downloaded, reason: `downloaded ${downloaded}` };
    } catch (error) {
      const detail = error instanceof Error ? (error.message.split('\n')[1] ?? error.message) : String(error);
      if (config.mongoOverride === 'mongod') {
        throw new Error(`KATA_MONGO=mongod but no mongod could be found or downloaded (${detail.trim()}).`, {
          cause: error,
        });
      }
      return { engine: 'embedded', reason: `no mongod could be downloaded (${detail.trim()})` };
    }
  }
  if (config.mongoOverride === 'mongod') {
    throw new Error('KATA_MONGO=mongod but no mongod binary is available: run `npm run setup` online.');
  }
  return { engine: 'embedded', reason: 'no mongod binary on this machine' };
}
