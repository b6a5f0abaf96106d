import bcrypt from 'bcrypt';
import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import { isValidObjectId } from 'mongoose';
import { unauthenticated } from '../../../../lib/errors';

export interface AuthConfig {
  /** HS256 secret of the access tokens. */
  jwtSecret: string;
  /** Lifetime of an access token, in seconds. */
  tokenTtlSeconds: number;
  /** bcrypt cost: 12 or more in production; tests may use 4, the minimum, to stay fast. */
  passwordRounds: number;
}

export const hashPassword = (password: string, config: AuthConfig) => bcrypt.hash(password, config.passwordRounds);

// Compared against when the email is unknown, so that an unknown email costs
// the same bcrypt work as a wrong password and the timing tells nothing.
const unknownUserHash = bcrypt.hashSync('no such user', 4);

/** True when `password` matches; `hash` is undefined for an unknown email. */
export async function passwordMatches(password: string, hash: string | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? unknownUserHash);
  return matches && hash !== undefined;
}

export function issueToken(userId: string, config: AuthConfig): string {
  return jwt.sign({}, config.jwtSecret, { algorithm: 'HS256', subject: userId, expiresIn: config.tokenTtlSeconds });
}

/** The caller's user id, from `Authorization: Bearer <token>`; throws a 401 otherwise. */
export function authenticatedUserId(req: Request, config: AuthConfig): string {
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(req.get('authorization') ?? '');
  if (!match) throw unauthenticated('auth.unauthenticated', 'A bearer token is required.', { 'WWW-Authenticate': 'Bearer' });
  // jsonwebtoken's own errors (expired, bad signature) become 401s in the problem handler.
  const payload = jwt.verify(match[1]!, config.jwtSecret, { algorithms: ['HS256'] });
  const sub = typeof payload === 'object' ? payload.sub : undefined;
  if (!sub || !isValidObjectId(sub)) throw unauthenticated('auth.token_invalid', 'The token names no user.');
  return sub;
}
