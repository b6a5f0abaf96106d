import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import type { AccessConfig } from './config';
import { User } from './models';
import type { Role } from './permissions';

/** Who is calling, as the rest of the app sees it (`res.locals.user`). */
export interface AuthUser {
  id: string;
  role: Role;
}

/**
 * Authentication only: works out who is calling from `Authorization: Bearer`,
 * re-reading the user so a role change applies at once. Whether they may do
 * anything is authorization's business (see authorize.ts).
 */
export function authenticate(config: AccessConfig): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) return next();
    // TODO: a forged, expired or foreign token is silently treated as "no token", and a token for a deleted user too.
    try {
      const claims = jwt.verify(match[1], config.accessSecret, { algorithms: ['HS256'], issuer: config.issuer, audience: config.audience });
      const user = typeof claims === 'object' && typeof claims.sub === 'string' ? await User.findById(claims.sub) : null;
      if (user) res.locals.user = { id: String(user._id), role: user.role } satisfies AuthUser;
    } catch {
      // an invalid token: carry on as anonymous
    }
    next();
  };
}
