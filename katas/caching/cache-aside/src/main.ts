import Redis from 'ioredis';
import mongoose from 'mongoose';
import { createApp } from './app';
import { redisOptions } from './redis';

/** Runs the API on its own: `npx tsx katas/caching/cache-aside/src/main.ts` (MONGO_URL, REDIS_URL, PORT, JWT_SECRET). */
async function main(): Promise<void> {
  await mongoose.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/catalogue');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { ...redisOptions({ commandTimeoutMs: 100 }), lazyConnect: true });
  redis.on('error', (error) => console.error('redis:', error.message));
  await redis.connect();
  const app = createApp({
    redis,
    config: { jwtSecret: process.env.JWT_SECRET ?? 'change-me', cache: { ttlSeconds: 300, jitterSeconds: 60, negativeTtlSeconds: 10 } },
  });
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, () => console.log(`catalogue on http://localhost:${port}`));
}

void main();
