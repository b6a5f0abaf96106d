import { randomUUID } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import { errorHandler, notFound, type Logger } from './error-handler';
import { AuthenticationError, NotFoundError } from './errors';
import { User } from './user.model';

export type { Logger } from './error-handler';

export interface Mailer {
  welcome(user: { email: string; name: string }): Promise<void>;
}

export interface AppOptions {
  /** Only an explicit 'development' shows internals; anything else is treated as production. */
  env?: 'production' | 'development';
  logger?: Logger;
  jwtSecret?: string;
  mailer?: Mailer;
}

/** Who signs the access tokens `GET /me` accepts, and for which API. */
export const tokenIssuer = 'https://auth.kata.local';
export const tokenAudience = 'users-api';

const quietMailer: Mailer = { welcome: async () => {} };

/** A users API on mongoose, with JWT-protected routes. No `listen` here: see server.ts. */
export function createApp({
  env = process.env.NODE_ENV === 'development' ? 'development' : 'production',
  logger = console,
  jwtSecret,
  mailer = quietMailer,
}: AppOptions = {}): express.Express {
  // A secret everyone can read in this repository signs tokens for anyone:
  // production refuses to start without a real one.
  if (!jwtSecret && env === 'production') throw new Error('createApp: jwtSecret is required in production (set JWT_SECRET).');
  const secret = jwtSecret || 'development-only-secret';
  const app = express();

  // First of all, so even a body-parser error carries an id. A caller's id (a
  // gateway's, say) is kept so one id follows the request across services, but
  // only if it is safe to echo in a header and write to logs.
  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    next();
  });

  app.use(express.json({ limit: '10kb' }));

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/users', async (req, res) => {
    const { email, handle, name, age } = (req.body ?? {}) as Record<string, unknown>;
    const user = await new User({ email, handle, name, age }).save();
    await mailer.welcome({ email: user.email, name: user.name });
    res.status(201).json(user);
  });

  app.get('/users/:id', async (req, res) => {
    const user = await User.findById(req.params.id);
    if (!user) throw new NotFoundError('user', req.params.id);
    res.json(user);
  });

  app.get('/me', (req, res) => {
    const [scheme, token] = (req.get('authorization') ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new AuthenticationError('auth.token_missing', 'Send "Authorization: Bearer <token>".');
    // The algorithm pinned, and the token meant for this API from this issuer:
    // never let the token's header, or another service's token, decide.
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: tokenIssuer, audience: tokenAudience }) as jwt.JwtPayload;
    res.json({ sub: claims.sub });
  });

  app.use(notFound);
  app.use(errorHandler({ env, logger }));
  return app;
}
