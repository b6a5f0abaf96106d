import fs from 'node:fs';
import path from 'node:path';
import { stateDir, type MongoEngineChoice } from '../config';
import type { BrowserReport } from './browser';

/**
 * What `npm run setup` decided about this machine, so that test runs never
 * repeat slow probing (a mongod download that cannot succeed offline takes
 * seconds to fail). Lives in `.kata/environment.json`, git-ignored.
 */
export interface RecordedEnvironment {
  version: 1;
  decidedAt: string;
  redis: { binary: string; version: string; source: string } | null;
  mongo: { engine: MongoEngineChoice; mongodBinary?: string; reason: string };
  /** Each browser engine as setup found it (the specs check again when they start one). */
  browsers?: BrowserReport;
}

export const environmentFile = path.join(stateDir, 'environment.json');

export function readRecordedEnvironment(file = environmentFile): RecordedEnvironment | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordedEnvironment;
    return parsed.version === 1 ? parsed : undefined;
  } catch {
    // Missing or unreadable: the caller decides afresh, which is always safe.
    return undefined;
  }
}

export function writeRecordedEnvironment(environment: RecordedEnvironment, file = environmentFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(environment, null, 2) + '\n');
}
