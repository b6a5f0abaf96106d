import express, { type Request } from 'express';
import type Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import { notFoundHandler, problemHandler, requestId, type ProblemOptions } from '../../../../lib/errors';
import { createLimiter, type Algorithm } from './limiters';
import { rateLimit } from './rate-limit';

export interface AppConfig {
  /** HS256 secret of the access tokens (issued by the auth service of phase 2). */
  jwtSecret: string;
  /** How many proxies of ours (load balancer, ingress) sit in front of the app. */
  proxyHops: number;
  rateLimit: { algorithm: Algorithm; limit: number; windowMs: number };
  /** What to do when Redis cannot be asked. */
  onRedisError: 'open' | 'closed';
}

export interface AppDeps {
  redis: Redis;
  config: AppConfig;
  /** The clock, in milliseconds; defaults to Date.now. */
  now?: () => number;
  log?: ProblemOptions['log'];
}

const quotes = ['Make it work, make it right, make it fast.', 'Premature optimization is the root of all evil.', 'There are only two hard things: cache invalidation and naming things.'];

/** A small public API whose /api routes are rate limited per user or per client IP. */
export function createApp({ redis, config, now = Date.now, log }: AppDeps): express.Express {
  const app = express();
  // req.ip is the address our own proxies saw: with N hops trusted, Express
  // takes the N-th address from the right of X-Forwarded-For. Everything to
  // its left was written by the client and proves nothing; with `true`, the
  // leftmost (forgeable) entry would be the key, and a client could rotate it.
  app.set('trust proxy', config.proxyHops);
  app.use(requestId());

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const limiter = createLimiter(redis, config.rateLimit.algorithm, config.rateLimit);
  app.use('/api', rateLimit({ limiter, now, keyOf: (req) => clientKey(req, config), onRedisError: config.onRedisError }));

  app.get('/api/quotes/random', (_req, res) => {
    res.json({ quote: quotes[Math.floor(Math.random() * quotes.length)] });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}

/** Whose quota this request spends. */
function clientKey(req: Request, config: AppConfig): string {
  // A signed-in user has one quota wherever they connect from (a phone
  // switching networks, an office behind one NAT with many users); anyone
  // else is known only by address.
  const user = userFromToken(req, config.jwtSecret);
  return user ? `user:${user}` : `ip:${req.ip}`;
}

/** The token's subject when the request carries a valid bearer token. */
export function userFromToken(req: Request, secret: string): string | undefined {
  const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
  if (!match) return undefined;
  try {
    const payload = jwt.verify(match[1]!, secret, { algorithms: ['HS256'] });
    return typeof payload === 'object' && typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    // An invalid token is an anonymous caller here; routes that need a user say 401.
    return undefined;
  }
}
