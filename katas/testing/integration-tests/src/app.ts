import express from 'express';
import type Redis from 'ioredis';
import { notFoundHandler, problemHandler, requestId, type ProblemOptions } from '../../../../lib/errors';
import type { AuthConfig } from './auth';
import { ensureIndexes } from './models';
import { createNoteCache } from './note-cache';
import { notesRouter } from './notes';
import { usersRouter } from './users';

export interface AppConfig extends AuthConfig {
  /** How long a note read stays cached in Redis, in seconds. */
  cacheTtlSeconds: number;
}

export interface AppDeps {
  /** An ioredis client; the app never closes it (whoever created it does). */
  redis: Redis;
  config: AppConfig;
  /** Where unexpected errors are reported (the problem handler's log). */
  log?: ProblemOptions['log'];
  /** Told about each Redis failure the cache survived (for logs and metrics); defaults to console.warn. */
  onCacheError?: (error: unknown) => void;
}

/**
 * The notes API: accounts (`POST /users`, `POST /sessions`, `GET /users/me`)
 * and each user's private notes (`/notes`, paginated; single notes cached in
 * Redis). Errors are phase 1's problem details with a `code`.
 *
 * Resolves once MongoDB's indexes exist, so the first request already meets
 * the unique index on email. Connect mongoose before calling it.
 *
 * @example
 *   const app = await createApp({ redis, config: { jwtSecret, tokenTtlSeconds: 900, passwordRounds: 12, cacheTtlSeconds: 60 } });
 */
export async function createApp({ redis, config, log, onCacheError = (error) => console.warn('note cache:', error) }: AppDeps): Promise<express.Express> {
  await ensureIndexes();
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '32kb' }));
  app.use(usersRouter(config));
  app.use(notesRouter(config, createNoteCache(redis, config.cacheTtlSeconds, onCacheError)));
  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
