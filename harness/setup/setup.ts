import fs from 'node:fs';
import {
  readRecordedEnvironment,
  writeRecordedEnvironment,
  type RecordedEnvironment,
} from './environment-file';
import { decideMongoEngine, type MongoEngineDecision } from './mongo-engine';
import { locateRedisBinary, provisionRedisBinary, type RedisBinary } from './redis-binary';
import { projectRoot, readConfig } from '../config';
import { rememberStarters } from '../cli/starters';
import { provisionBrowsers, type BrowserReport } from './browser';
import { provisionTmux } from './tmux';

export interface SetupResult {
  node: string;
  redis: RedisBinary | undefined;
  mongo: MongoEngineDecision;
  /** Each browser engine for the browser specs: found (where) or missing (and how to install it). */
  browsers: BrowserReport;
  /** Starter files copied to .kata/starters so `kata reset` works without git. */
  startersRemembered: number;
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

  const browsers = provisionBrowsers(say);
  provisionTmux(say);

  const config = readConfig();
  const reusable = recorded && !config.mongoUrl && !config.mongoOverride && stillValid(recorded.mongo);
  const mongo: MongoEngineDecision = reusable
    ? recorded.mongo
    : await decideMongoEngine({ allowDownload: true, say });

  const environment: RecordedEnvironment = {
    version: 1,
    decidedAt: new Date().toISOString(),
    redis: redis ? { binary: redis.binary, version: redis.version, source: redis.source } : null,
    // MONGO_URL is a per-shell choice; recording it would outlive the shell.
    mongo: mongo.engine === 'external' ? (recorded?.mongo ?? { engine: 'embedded', reason: 'default' }) : mongo,
    browsers,
  };
  writeRecordedEnvironment(environment);

  // Before the learner edits anything, keep a pristine copy of each starter.
  let startersRemembered = 0;
  try {
    startersRemembered = rememberStarters(projectRoot);
  } catch (error) {
    say(`Could not copy the starters for \`kata reset\` (${error instanceof Error ? error.message : String(error)}).`);
  }

  return {
    node: process.version,
    redis,
    mongo,
    browsers,
    startersRemembered,
    mongoReused: Boolean(reusable),
    elapsedMs: Math.round(performance.now() - started),
  };
}

function stillValid(mongo: MongoEngineDecision): boolean {
  if (mongo.engine === 'mongod') return Boolean(mongo.mongodBinary && fs.existsSync(mongo.mongodBinary));
  return mongo.engine === 'embedded';
}
