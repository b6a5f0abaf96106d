import type { RequestHandler } from 'express';
import { forbidden, unauthenticated } from '../../../../lib/errors';
import type { AuthUser } from './authenticate';
import { mayAttempt, type Action } from './permissions';

/** What a route declares: an action from permissions.ts, or 'public' on purpose. */
export type RouteAccess = Action | 'public';

/** A gate that carries what it checks, so a spec (or a docs generator) can read it off the router. */
export type Gate = RequestHandler & { permission: RouteAccess | undefined };

/** The gate in front of every route, built from what the route declares. */
export function authorize(access: RouteAccess | undefined): Gate {
  const gate: RequestHandler = (_req, res, next) => {
    if (access === 'public') return next();
    const user = res.locals.user as AuthUser | undefined;
    // 401: we do not know who you are (authentication). 403: we do, and you may
    // not (authorization). A client logs in again on one, and not on the other.
    if (!user) throw unauthenticated('auth.unauthenticated', 'Log in first.', { 'WWW-Authenticate': 'Bearer realm="kata-api"' });
    // Deny by default: a route that forgot to declare a permission is closed,
    // not open. Forgetting then costs a bug report, not a breach.
    if (access === undefined || !mayAttempt(user.role, access)) throw forbidden();
    next();
  };
  return Object.assign(gate, { permission: access });
}
