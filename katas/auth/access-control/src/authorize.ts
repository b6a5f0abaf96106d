import type { RequestHandler } from 'express';
import { unauthenticated } from '../../../../lib/errors';
import type { AuthUser } from './authenticate';
import type { Role } from './permissions';

/** The gate in front of every route, built from what the route declares. */
export function authorize(roles?: Role[]): RequestHandler {
  return (_req, res, next) => {
    // TODO: a route that declares nothing is open to everyone, roles are compared by name (an admin is not an editor), and "not allowed" answers 401 like "not logged in".
    if (!roles) return next();
    const user = res.locals.user as AuthUser | undefined;
    if (!user || !roles.includes(user.role)) throw unauthenticated('unauthorized', 'You cannot do this.');
    next();
  };
}
