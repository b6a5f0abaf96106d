/**
 * What both spec files of this kata share: the app wired to this file's Redis,
 * tokens for two users, and seeded products. Call `useCatalogue()` at the top
 * of a spec file, after `useMongo()`/`useRedis()`.
 */
import { beforeAll, beforeEach } from '@jest/globals';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { Types } from 'mongoose';
import { buildProduct, type RedisHandle } from '../../../harness';
import { createApp, type AppConfig } from './src/app';
import { Product } from './src/product.model';
import { redisOptions } from './src/redis';

export const config: AppConfig = {
  jwtSecret: 'cache-aside-spec-secret-0123456789abcdef',
  cache: { ttlSeconds: 60, jitterSeconds: 30, negativeTtlSeconds: 5 },
};

/** The configured bound on one Redis command, in milliseconds. */
export const commandTimeoutMs = 1_000;

export const alice = new Types.ObjectId().toHexString();
export const bob = new Types.ObjectId().toHexString();

export const bearer = (userId: string) => `Bearer ${jwt.sign({ sub: userId }, config.jwtSecret, { algorithm: 'HS256', expiresIn: '5m' })}`;

export async function seedProduct(overrides: { ownerId?: string; tags?: string[]; price?: number } = {}) {
  const { name, sku, price, stock, tags } = buildProduct();
  const product = await Product.create({ name, sku, price, stock, tags, ownerId: alice, ...overrides });
  return product.id as string;
}

/**
 * One Redis client for the file (connected before the first test, created
 * with the kata's own redisOptions) and a fresh app per test, so no in-process
 * state leaks from one test into the next.
 */
export function useCatalogue(redis: RedisHandle) {
  const handle = {
    client: undefined as unknown as Redis,
    app: undefined as unknown as ReturnType<typeof createApp>,
    /** Another instance of the app on the same Redis, as a second server would be. */
    recreate: () => createApp({ redis: handle.client, config, log: () => {} }),
  };
  beforeAll(async () => {
    handle.client = redis.createClient({ ...redisOptions({ commandTimeoutMs }), lazyConnect: true });
    await handle.client.connect();
  });
  beforeEach(() => {
    handle.app = handle.recreate();
  });
  return handle;
}
