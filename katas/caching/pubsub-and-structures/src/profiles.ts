import type Redis from 'ioredis';

export type Profile = Record<string, string>;

/** User profiles, one Redis key each. */
export function createProfileStore(redis: Redis) {
  const key = (id: string) => `profile:${id}`;
  // TODO: a JSON blob must be read, changed and written back to change one field, so concurrent updates overwrite each other: store a hash (HSET, HGETALL).
  return {
    async save(id: string, profile: Profile): Promise<void> {
      await redis.set(key(id), JSON.stringify(profile));
    },
    async get(id: string): Promise<Profile | null> {
      const text = await redis.get(key(id));
      return text === null ? null : (JSON.parse(text) as Profile);
    },
    async setField(id: string, field: string, value: string): Promise<void> {
      const text = await redis.get(key(id));
      const profile = text === null ? {} : (JSON.parse(text) as Profile);
      await redis.set(key(id), JSON.stringify({ ...profile, [field]: value }));
    },
  };
}
