import jwt from 'jsonwebtoken';
import { useRedis } from '../..';
import { createApp } from '../../../solutions/caching/rate-limiting/src/app';
import { sweep } from '../sweep';

const redis = useRedis();
const jwtSecret = 'rate-limit-sweep-secret-0123456789abcdef';

// A limit the sweep never reaches: the hostile part must meet the handler, not a 429.
sweep('caching/rate-limiting', (log) => ({
  app: createApp({
    redis: redis.createClient({ commandTimeout: 2_000 }),
    config: { jwtSecret, proxyHops: 1, rateLimit: { algorithm: 'sliding', limit: 1_000_000, windowMs: 60_000 }, onRedisError: 'open' },
    log,
  }),
  auth: () => ({ authorization: `Bearer ${jwt.sign({ sub: 'user-1' }, jwtSecret, { algorithm: 'HS256', expiresIn: 600 })}` }),
}));
