import type { RequestHandler } from 'express';
import { unauthenticated } from '../../../../lib/errors';
import type { Clock, JwtConfig } from './config';
import { verifyAccessToken } from './tokens';

// RFC 6750 §3: a request with no credentials gets a bare challenge; one with
// bad credentials gets error="invalid_token". Both are 401 (authentication),
// never 403 (that means "we know you, and you may not").
const challenge = { 'WWW-Authenticate': 'Bearer realm="kata-api"' };
const invalidToken = { 'WWW-Authenticate': 'Bearer realm="kata-api", error="invalid_token"' };

// RFC 7235 §2.1: the scheme is case-insensitive; RFC 6750 §2.1: one space, then
// a token68 (base64url and a few more characters), nothing after it.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Reads `Authorization: Bearer <token>` and puts the verified claims in
 * `res.locals.claims`; everything else is refused.
 */
export function authenticate(config: JwtConfig, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined) throw unauthenticated('auth.unauthenticated', 'Send "Authorization: Bearer <access token>".', challenge);
    const match = BEARER.exec(header);
    if (!match?.[1]) throw unauthenticated('auth.token_invalid', 'The Authorization header is not "Bearer <token>".', invalidToken);
    res.locals.claims = verifyAccessToken(match[1], config, clock);
    next();
  };
}
