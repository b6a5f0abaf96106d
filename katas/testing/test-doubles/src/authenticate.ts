import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { unauthenticated } from '../../../../lib/errors';

export interface User {
  id: string;
  roles: string[];
}

/** Checks a bearer token (a JWT library, an introspection call…); rejects when it is not valid. */
export type VerifyToken = (token: string) => Promise<User>;

const challenge = { 'WWW-Authenticate': 'Bearer' };

/**
 * Express middleware: `Authorization: Bearer <token>` (the scheme in any case,
 * RFC 9110 §11.1) → `res.locals.user`, then the route. A missing or invalid token goes
 * to the error handler as a 401 with a challenge; the route never runs.
 */
export function authenticate(verifyToken: VerifyToken): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const [scheme, token, ...rest] = (req.get('authorization') ?? '').trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      return next(unauthenticated('auth.token_missing', 'Send a bearer token in the Authorization header.', challenge));
    }
    let user: User;
    try {
      user = await verifyToken(token);
    } catch {
      // The verifier's own message (expired, bad signature…) stays in the server.
      return next(unauthenticated('auth.token_invalid', 'The bearer token is not valid.', challenge));
    }
    res.locals.user = user;
    next();
  };
}
