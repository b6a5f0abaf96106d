import { afterAll, expect, it } from '@jest/globals';
import type Redis from 'ioredis';
import { useRedis } from './use-redis';

// A file of its own: use-redis.test.ts stops and starts its server, and a client caught between
// reconnection attempts by the file's end stays "reconnecting" once disconnected (with no attempt left).
const redis = useRedis();

/** A copy of a client, blocked reading a stream when the file ends (as the streams adapter's reader is). */
let blockedCopy: Redis | undefined;
// Declared after useRedis(), so it runs after the file's clients are closed (and its server stopped).
afterAll(() => {
  expect(blockedCopy?.status).toBe('end');
});

it("closes the copies of a file's clients with them, even one blocked in a read", async () => {
  blockedCopy = redis.createClient().duplicate();
  await blockedCopy.ping();

  void blockedCopy.xread('BLOCK', 60_000, 'STREAMS', 'never-written', '$').catch(() => {});

  expect(blockedCopy.status).toBe('ready');
});
