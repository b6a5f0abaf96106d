import type Redis from 'ioredis';
import type { NoteBody } from './notes';

export type CacheStatus = 'HIT' | 'MISS';

export interface NoteCache {
  /** The note from Redis when cached, else from `load`, which is then cached (a missing note is not). */
  read(id: string, load: () => Promise<NoteBody | null>): Promise<{ note: NoteBody | null; status: CacheStatus }>;
  /** Called after every write to the note, once MongoDB has it. */
  invalidate(id: string): Promise<void>;
}

const keyOf = (id: string) => `note:${id}`;

/**
 * Cache-aside for single notes, as phase 3 teaches it. Redis is an
 * optimisation: when it fails, reads go to MongoDB and the failure is reported
 * to `onError`, never to the client.
 */
export function createNoteCache(redis: Redis, ttlSeconds: number, onError: (error: unknown) => void): NoteCache {
  return {
    async read(id, load) {
      const cached = await redis.get(keyOf(id)).catch((error: unknown) => {
        onError(error);
        return null;
      });
      if (cached !== null) return { note: JSON.parse(cached) as NoteBody, status: 'HIT' };
      const note = await load();
      if (note) await redis.set(keyOf(id), JSON.stringify(note), 'EX', ttlSeconds).catch(onError);
      return { note, status: 'MISS' };
    },
    async invalidate(id) {
      // A failed DEL leaves a stale entry for at most the TTL; failing the write would be worse.
      await redis.del(keyOf(id)).catch(onError);
    },
  };
}
