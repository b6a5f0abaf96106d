import type Redis from 'ioredis';

export type Profile = Record<string, string>;

/** User profiles as Redis hashes: one field per attribute. */
export function createProfileStore(redis: Redis) {
  const key = (id: string) => `profile:${id}`;
  return {
    async save(id: string, profile: Profile): Promise<void> {
      await redis.hset(key(id), profile);
    },
    async get(id: string): Promise<Profile | null> {
      const fields = await redis.hgetall(key(id));
      return Object.keys(fields).length === 0 ? null : fields;
    },
    async setField(id: string, field: string, value: string): Promise<void> {
      // HSET changes one field in place: no read, so two concurrent updates of
      // different fields cannot overwrite each other (a JSON blob would need
      // read-modify-write, and the last writer would win).
      await redis.hset(key(id), field, value);
    },
  };
}
