/**
 * The TTL monitor: every `ttlMonitorSleepSecs` (60 s, as on mongod, unless the
 * engine's `ttlSweepMs` or `setParameter` changes it) it deletes documents whose
 * TTL-indexed date is older than `expireAfterSeconds`, and the expired data of time
 * series and clustered collections created with `expireAfterSeconds`. The timer is
 * unref'd (it never keeps a process alive) and cleared by `stop()`.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import type { Engine } from './storage/engine';
import type { Collection } from './storage/collection';
import { collectionExpiry } from './storage/special-collections';
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

/** Removes every document `expiresAt` dates at or before `now`; returns how many. */
function removeExpired(collection: Collection, expiresAt: (doc: Document) => number | undefined, now: number): number {
  let removed = 0;
  for (const doc of [...collection.docs.values()]) {
    const at = expiresAt(doc);
    if (at === undefined || at > now) continue;
    try {
      collection.remove(doc);
      removed += 1;
    } catch (error) {
      // An open transaction wrote this document: mongod's TTL monitor retries it next pass.
      if (!(error instanceof MongoCommandError)) throw error;
    }
  }
  return removed;
}

/** One pass; returns how many documents expired. */
export function sweepExpired(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const db of engine.databases.values()) {
    for (const collection of db.collections.values()) {
      const byCollection = collectionExpiry(collection.options);
      if (byCollection) removed += removeExpired(collection, byCollection, now);
      for (const index of collection.indexes) {
        const seconds = index.spec.expireAfterSeconds;
        if (seconds === undefined || index.fields.length !== 1) continue;
        const field = index.fields[0] as string;
        removed += removeExpired(collection, (doc) => {
          const date = expiry(doc, field);
          return date === undefined ? undefined : date + seconds * 1000;
        }, now);
      }
    }
  }
  return removed;
}

export class TtlMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly engine: Engine) {
    // `setParameter: { ttlMonitorSleepSecs }` takes effect at once, as the next sleep on mongod.
    engine.parameters.onTtlSweepChange(() => {
      if (!this.running) return;
      this.clearTimer();
      this.schedule();
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  private schedule(): void {
    const periodMs = this.engine.parameters.ttlSweepMs;
    if (periodMs <= 0) return;
    this.timer = setInterval(() => sweepExpired(this.engine), periodMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  stop(): void {
    this.running = false;
    this.clearTimer();
  }
}
