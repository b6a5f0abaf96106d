import jwt from 'jsonwebtoken';
import type { Clock, JwtConfig } from './config';
import type { PublicUser } from './users';

/** The claims this API puts in, and trusts from, an access token. */
export interface AccessClaims {
  sub: string;
}

export function signAccessToken(user: PublicUser, config: JwtConfig, _clock: Clock): string {
  // TODO: no `iss` or `aud`, no pinned algorithm, and `iat`/`exp` come from the wall clock instead of the injected one.
  return jwt.sign({ sub: user.id }, config.accessSecret, { expiresIn: config.accessTtlSeconds });
}

export function verifyAccessToken(token: string, config: JwtConfig, _clock: Clock): AccessClaims {
  // TODO: accepts any HMAC algorithm, any issuer and audience, reads the wall clock, and forgives no clock skew.
  const claims = jwt.verify(token, config.accessSecret);
  if (typeof claims === 'string' || typeof claims.sub !== 'string') throw new jwt.JsonWebTokenError('jwt has no subject');
  return { sub: claims.sub };
}
