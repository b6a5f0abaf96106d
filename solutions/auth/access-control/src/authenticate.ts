import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../../../../lib/errors';
import type { AccessConfig } from './config';
import { User } from './models';
import type { Role } from './permissions';

/** Who is calling, as the rest of the app sees it (`res.locals.user`). */
export interface AuthUser {
  id: string;
  role: Role;
}

const invalidToken = { 'WWW-Authenticate': 'Bearer realm="kata-api", error="invalid_token"' };

/**
 * Authentication only: works out who is calling from `Authorization: Bearer`,
 * re-reading the user so a role change applies at once. Whether they may do
 * anything is authorization's business (see authorize.ts).
 */
export function authenticate(config: AccessConfig): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return next(); // anonymous: authorize() decides
    // Bad credentials are not "no credentials": a client that sent a token must
    // learn that it failed (401), not be served as a guest.
    const match = /^Bearer +(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('auth.token_invalid', 'The Authorization header is not "Bearer <token>".', invalidToken);
    // jsonwebtoken's errors reach lib/errors: 401 auth.token_expired or auth.token_invalid.
    const claims = jwt.verify(match[1], config.accessSecret, { algorithms: ['HS256'], issuer: config.issuer, audience: config.audience });
    const user = typeof claims === 'object' && typeof claims.sub === 'string' ? await User.findById(claims.sub) : null;
    if (!user) throw unauthenticated('auth.token_invalid', 'The token names no user.', invalidToken);
    res.locals.user = { id: String(user._id), role: user.role } satisfies AuthUser;
    next();
  };
}
