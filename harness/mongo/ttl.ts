/**
 * The TTL monitor: every `periodMs` it deletes documents whose TTL-indexed date is
 * older than `expireAfterSeconds`, as mongod's TTLMonitor does every 60 s. The timer
 * is unref'd (it never keeps a process alive) and cleared by `stop()`.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import type { Engine } from './storage/engine';
import { valuesAtPath } from './storage/values';

/** mongod's ttlMonitorSleepSecs default. */
export const DEFAULT_TTL_SWEEP_MS = 60_000;

function expiry(doc: Document, field: string): number | undefined {
  let earliest: number | undefined;
  for (const value of valuesAtPath(doc, field)) {
    if (value instanceof Date && (earliest === undefined || value.getTime() < earliest)) earliest = value.getTime();
  }
  return earliest;
}

/** One pass; returns how many documents expired. */
export function sweepExpired(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const db of engine.databases.values()) {
    for (const collection of db.collections.values()) {
      for (const index of collection.indexes) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined || index.fields.length !== 1) continue;
        const field = index.fields[0] as string;
        for (const doc of [...collection.docs.values()]) {
          const date = expiry(doc, field);
          if (date !== undefined && date + seconds * 1000 <= now) {
            try {
              collection.remove(doc);
              removed += 1;
            } catch (error) {
              // An open transaction wrote this document: mongod's TTL monitor retries it next pass.
              if (!(error instanceof MongoCommandError)) throw error;
            }
          }
        }
      }
    }
  }
  return removed;
}

export class TtlMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly periodMs: number,
  ) {}

  start(): void {
    if (this.timer || this.periodMs <= 0) return;
    this.timer = setInterval(() => sweepExpired(this.engine), this.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
