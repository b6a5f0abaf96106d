import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type CookieOptions } from 'express';
import { AppError, notFoundHandler, problemHandler, requestId, unauthenticated, type ProblemOptions } from '../../../../lib/errors';
import { authenticate } from './authenticate';
import { loadConfig, systemClock, type Clock, type JwtConfig } from './config';
import { RefreshToken } from './refresh-token.model';
import { signAccessToken, type AccessClaims } from './tokens';
import { createUserDirectory, type PublicUser, type UserDirectory } from './users';

export interface AppDeps {
  config?: JwtConfig;
  clock?: Clock;
  users?: UserDirectory;
  log?: ProblemOptions['log'];
}

const REFRESH_COOKIE = 'refresh_token';

// TODO: readable from any page script is ruled out (HttpOnly), but the cookie also travels over plain HTTP, on cross-site requests, and to every path.
const refreshCookie: CookieOptions = { httpOnly: true };

/**
 * Login with e-mail and password; a short-lived access token in the body and a
 * refresh token in a cookie; `POST /auth/token` refreshes, `DELETE /auth/token` logs out.
 */
export function createApp({ config = loadConfig(), clock = systemClock, users = createUserDirectory([]), log }: AppDeps = {}): express.Express {
  const app = express();
  app.use(requestId());
  app.use(express.json({ limit: '10kb' }));
  app.use(cookieParser());

  const tokenResponse = (user: PublicUser) => ({
    accessToken: signAccessToken(user, config, clock),
    tokenType: 'Bearer',
    expiresIn: config.accessTtlSeconds,
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.post('/auth/login', async (req, res) => {
    const { email, password } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw new AppError(400, 'validation.missing_fields', 'An e-mail and a password are required.');
    }
    const user = await users.verify(email, password);
    if (!user) throw unauthenticated('auth.invalid_credentials', 'The e-mail or the password is wrong.');

    const refreshToken = randomBytes(32).toString('base64url');
    await RefreshToken.create({ token: refreshToken, userId: user.id });
    res.cookie(REFRESH_COOKIE, refreshToken, refreshCookie);
    res.json(tokenResponse(user));
  });

  app.post('/auth/token', async (req, res) => {
    const presented: unknown = req.cookies?.[REFRESH_COOKIE];
    const record = typeof presented === 'string' ? await RefreshToken.findOne({ token: presented }) : null;
    const user = record ? users.findById(record.userId) : null;
    if (!user) throw unauthenticated('auth.refresh_token_invalid', 'Log in again.');
    // TODO: the same refresh token works forever: no rotation, no expiry, and a stolen copy is never noticed.
    res.json(tokenResponse(user));
  });

  app.delete('/auth/token', async (_req, res) => {
    // TODO: the browser forgets the cookie, but the token itself stays valid for whoever copied it.
    res.clearCookie(REFRESH_COOKIE);
    res.sendStatus(204);
  });

  app.get('/me', authenticate(config, clock), (_req, res) => {
    const claims = res.locals.claims as AccessClaims;
    const user = users.findById(claims.sub);
    if (!user) throw unauthenticated('auth.token_invalid', 'The token names no user.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    res.json(user);
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ env: 'production', log }));
  return app;
}
