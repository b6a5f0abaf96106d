import type { RequestHandler } from 'express';
import { forbidden, unauthenticated } from '../../../../lib/errors';
import type { Clock, JwtConfig } from './config';
import { verifyAccessToken } from './tokens';

/**
 * Reads `Authorization: Bearer <token>` and puts the verified claims in
 * `res.locals.claims`; everything else is refused.
 */
export function authenticate(config: JwtConfig, clock: Clock): RequestHandler {
  return (req, res, next) => {
    // TODO: any scheme (or none) passes, failures answer 403 instead of 401, and no WWW-Authenticate challenge tells the client what to do.
    const token = req.headers.authorization?.split(' ')[1];
    if (!token) throw unauthenticated();
    try {
      res.locals.claims = verifyAccessToken(token, config, clock);
    } catch {
      throw forbidden('auth.token_invalid');
    }
    next();
  };
}
