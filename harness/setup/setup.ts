import fs from 'node:fs';
import {
  readRecordedEnvironment,
  writeRecordedEnvironment,
  type RecordedEnvironment,
} from './environment-file';
import { decideMongoEngine, type MongoEngineDecision } from './mongo-engine';
import { locateRedisBinary, provisionRedisBinary, type RedisBinary } from './redis-binary';
import { readConfig } from '../config';

export interface SetupResult {
  node: string;
  redis: RedisBinary | undefined;
  mongo: MongoEngineDecision;
  /** True when the MongoDB decision came from an earlier run of setup. */
  mongoReused: boolean;
  elapsedMs: number;
}

/**
 * The setup step behind `npm install` and `npm run setup`: makes sure a
 * redis-server is usable and decides, once, which MongoDB the specs use.
 * Idempotent: with everything in place it only re-checks what was recorded.
 */
export async function runSetup(options: { recheck?: boolean; say?: (line: string) => void } = {}): Promise<SetupResult> {
  const started = performance.now();
  const say = options.say ?? (() => {});
  const recorded = options.recheck ? undefined : readRecordedEnvironment();

  const redis = (await locateRedisBinary(recorded?.redis?.binary)) ?? (await provisionRedisBinary(say));

  const reusable = recorded && !readConfig().mongoUrl && !readConfig().mongoOverride && stillValid(recorded.mongo);
  const mongo: MongoEngineDecision = reusable
    ? recorded.mongo
    : await decideMongoEngine({ allowDownload: true, say });

  const environment: RecordedEnvironment = {
    version: 1,
    decidedAt: new Date().toISOString(),
    redis: redis ? { binary: redis.binary, version: redis.version, source: redis.source } : null,
    // MONGO_URL is a per-shell choice; recording it would outlive the shell.
    mongo: mongo.engine === 'external' ? (recorded?.mongo ?? { engine: 'embedded', reason: 'default' }) : mongo,
  };
  writeRecordedEnvironment(environment);

  return {
    node: process.version,
    redis,
    mongo,
    mongoReused: Boolean(reusable),
    elapsedMs: Math.round(performance.now() - started),
  };
}

function stillValid(mongo: MongoEngineDecision): boolean {
  if (mongo.engine === 'mongod') return Boolean(mongo.mongodBinary && fs.existsSync(mongo.mongodBinary));
  return mongo.engine === 'embedded';
}
