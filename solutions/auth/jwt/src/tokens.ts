import jwt from 'jsonwebtoken';
import type { Clock, JwtConfig } from './config';
import type { PublicUser } from './users';

/** The claims this API puts in, and trusts from, an access token. */
export interface AccessClaims {
  sub: string;
}

// One algorithm, named on both sides: a verifier that lets the token's header
// choose accepts whatever an attacker writes there ("none", another HMAC, an
// HMAC keyed with a public key).
const ALGORITHM = 'HS256';

export function signAccessToken(user: PublicUser, config: JwtConfig, clock: Clock): string {
  // iat from the injected clock: jsonwebtoken computes exp from it.
  return jwt.sign({ sub: user.id, iat: Math.floor(clock.now() / 1000) }, config.accessSecret, {
    algorithm: ALGORITHM,
    expiresIn: config.accessTtlSeconds,
    issuer: config.issuer,
    audience: config.audience,
  });
}

export function verifyAccessToken(token: string, config: JwtConfig, clock: Clock): AccessClaims {
  // iss and aud: a token this key signed for another service is not ours to
  // accept. clockTolerance: a few seconds of skew between servers is normal.
  // jsonwebtoken's errors (TokenExpiredError first) reach lib/errors, which
  // answers 401 auth.token_expired or auth.token_invalid with a WWW-Authenticate challenge.
  const claims = jwt.verify(token, config.accessSecret, {
    algorithms: [ALGORITHM],
    issuer: config.issuer,
    audience: config.audience,
    clockTimestamp: Math.floor(clock.now() / 1000),
    clockTolerance: config.clockToleranceSeconds,
  });
  if (typeof claims === 'string' || typeof claims.sub !== 'string') throw new jwt.JsonWebTokenError('jwt has no subject');
  return { sub: claims.sub };
}
