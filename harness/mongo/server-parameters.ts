/**
 * Runtime server parameters set with `setParameter` and read with `getParameter`,
 * as on mongod. Only `ttlMonitorSleepSecs` (how often the TTL monitor runs) means
 * something to this engine; its listeners (the TTL monitor) hear every change.
 */
import { MongoCommandError } from './errors';

type Listener = (sweepMs: number) => void;

export class ServerParameters {
  private listeners: Listener[] = [];

  /** Milliseconds between TTL passes: the engine's `ttlSweepMs` option, or `ttlMonitorSleepSecs` × 1000. */
  constructor(private sweepMs: number) {}

  get ttlSweepMs(): number {
    return this.sweepMs;
  }

  /** mongod's `ttlMonitorSleepSecs`, whole seconds (a sub-second `ttlSweepMs` reads as 1). */
  get ttlMonitorSleepSecs(): number {
    return Math.max(1, Math.round(this.sweepMs / 1000));
  }

  set ttlMonitorSleepSecs(seconds: unknown) {
    if (typeof seconds !== 'number' && (seconds as { _bsontype?: string } | null)?._bsontype !== 'Int32' && (seconds as { _bsontype?: string } | null)?._bsontype !== 'Long') {
      throw new MongoCommandError('TypeMismatch', `Invalid value for parameter ttlMonitorSleepSecs: ${JSON.stringify(seconds)} is not a number`);
    }
    const value = Number(seconds);
    if (!Number.isInteger(value) || value < 1) {
      throw new MongoCommandError('BadValue', `Invalid value for parameter ttlMonitorSleepSecs: ${String(value)} is not greater than or equal to 1`);
    }
    this.sweepMs = value * 1000;
    for (const listener of this.listeners) listener(this.sweepMs);
  }

  onTtlSweepChange(listener: Listener): void {
    this.listeners.push(listener);
  }
}
