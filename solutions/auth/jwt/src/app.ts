import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

// Secure: never over plain HTTP. SameSite=Strict: no cross-site request carries
// it (CSRF on the refresh endpoint). Path: sent only to /auth/token (refresh and
// logout), not with every API call where a log or a proxy might record it.
const refreshCookie: CookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/auth/token' };

const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');
const invalidRefresh = () => unauthenticated('auth.refresh_token_invalid', 'The refresh token is not valid: log in again.');

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

  /** A new opaque refresh token in `familyId`; only its hash is stored. */
  async function issueRefreshToken(res: express.Response, userId: string, familyId: string) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now() + config.refreshTtlSeconds * 1000);
    await RefreshToken.create({ tokenHash: sha256(token), familyId, userId, expiresAt });
    res.cookie(REFRESH_COOKIE, token, { ...refreshCookie, maxAge: config.refreshTtlSeconds * 1000 });
  }

  const revokeFamily = (familyId: string) =>
    RefreshToken.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date(clock.now()) } });

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

    await issueRefreshToken(res, user.id, randomUUID());
    res.json(tokenResponse(user));
  });

  app.post('/auth/token', async (req, res) => {
    const presented: unknown = req.cookies?.[REFRESH_COOKIE];
    if (typeof presented !== 'string' || presented === '') throw invalidRefresh();
    const tokenHash = sha256(presented);
    const now = new Date(clock.now());

    // Claim the token atomically: of two requests racing with one token, only
    // one finds usedAt still null.
    const record = await RefreshToken.findOneAndUpdate(
      { tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
      { $set: { usedAt: now } },
    );
    if (!record) {
      // A used token presented again means two parties hold it: the owner and
      // a thief. We cannot tell which is which, so the whole family goes.
      const known = await RefreshToken.findOne({ tokenHash });
      if (known?.usedAt) {
        await revokeFamily(known.familyId);
        throw unauthenticated('auth.refresh_token_reused', 'This refresh token was already used: every session from that login is revoked.');
      }
      throw invalidRefresh();
    }
    const user = users.findById(record.userId);
    if (!user) throw invalidRefresh();

    // Rotation: each refresh hands out a new token and retires the old one.
    await issueRefreshToken(res, user.id, record.familyId);
    res.json(tokenResponse(user));
  });

  app.delete('/auth/token', async (req, res) => {
    // Revoke server-side: clearing the cookie only makes this browser forget it.
    const presented: unknown = req.cookies?.[REFRESH_COOKIE];
    const record = typeof presented === 'string' ? await RefreshToken.findOne({ tokenHash: sha256(presented) }) : null;
    if (record) await revokeFamily(record.familyId);
    // Same attributes as when it was set, or the browser keeps the original.
    res.clearCookie(REFRESH_COOKIE, refreshCookie);
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
