import type Redis from 'ioredis';

export interface LoggedEvent {
  id: string;
  type: string;
  data: unknown;
}

type StreamEntry = [id: string, fields: string[]];

/**
 * Domain events in a Redis Stream, consumed by a consumer group: each event
 * goes to one consumer, stays pending until acknowledged, and can be claimed
 * by another consumer when its first one dies. Nothing is lost.
 */
export function createEventLog(redis: Redis, { stream, group }: { stream: string; group: string }) {
  const toEvent = ([id, fields]: StreamEntry): LoggedEvent => {
    const record: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
    return { id, type: record.type ?? '', data: JSON.parse(record.data ?? 'null') };
  };

  return {
    /** Creates the group (and the stream), reading from the first entry; safe to call again. */
    async ensureGroup(): Promise<void> {
      try {
        // '0', not '$': events appended before the group existed are delivered too.
        await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
      }
    },
    async append(type: string, data: unknown): Promise<string> {
      // Capped (approximately, which is cheap) so the stream cannot grow forever.
      return (await redis.xadd(stream, 'MAXLEN', '~', 10_000, '*', 'type', type, 'data', JSON.stringify(data)))!;
    },
    /** New events for this consumer ('>'), each given to one consumer of the group. */
    async read(consumer: string, count: number): Promise<LoggedEvent[]> {
      const reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', stream, '>')) as [string, StreamEntry[]][] | null;
      return (reply?.[0]?.[1] ?? []).map(toEvent);
    },
    async ack(...ids: string[]): Promise<number> {
      return redis.xack(stream, group, ...ids);
    },
    /** Takes over events another consumer read but never acknowledged within `minIdleMs`. */
    async claimStale(consumer: string, minIdleMs: number, count = 100): Promise<LoggedEvent[]> {
      const [, entries] = (await redis.xautoclaim(stream, group, consumer, minIdleMs, '0-0', 'COUNT', count)) as [string, StreamEntry[], string[]];
      return entries.map(toEvent);
    },
    /** How many events were delivered and not yet acknowledged. */
    async pendingCount(): Promise<number> {
      const [count] = (await redis.xpending(stream, group)) as [number, ...unknown[]];
      return count;
    },
  };
}
