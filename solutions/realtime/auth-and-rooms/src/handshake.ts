import jwt from 'jsonwebtoken';
import type { ExtendedError, Socket } from 'socket.io';
import { AppError, fromLibraryError, unauthenticated } from '../../../../lib/errors';
import { refusal } from './acks';
import type { RoomsConfig } from './config';
import { User, type Role, type SocketUser } from './models';

// One algorithm, named on both sides: a verifier that lets the token's header
// choose accepts whatever an attacker writes there ("none", another HMAC).
const ALGORITHM = 'HS256';

/** What the handshake leaves on `socket.data` for the handlers. */
export interface HandshakeData {
  user: SocketUser;
  /** When the token stops being accepted (exp plus the clock tolerance), in ms. */
  expiresAt: number;
}

function verify(token: string, config: RoomsConfig): { sub: string; exp: number } {
  const claims = jwt.verify(token, config.jwt.secret, {
    algorithms: [ALGORITHM],
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    clockTimestamp: Math.floor(config.clock.now() / 1000),
    clockTolerance: config.jwt.clockToleranceSeconds,
  });
  // A token without exp would never expire, and one without sub names nobody.
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') {
    throw new jwt.JsonWebTokenError('jwt has no subject or no expiry');
  }
  return { sub: claims.sub, exp: claims.exp };
}

/**
 * The `io.use()` middleware: a connection is accepted only with a valid access
 * token of a user who still exists and is not revoked. A refusal reaches the
 * client as `connect_error` whose `data` is `{ code, message }`.
 */
export function authenticate(config: RoomsConfig) {
  return async (socket: Socket, next: (error?: ExtendedError) => void) => {
    try {
      // From `auth`, never from the query string: URLs end up in access logs
      // and proxies' histories.
      const token: unknown = socket.handshake.auth?.token;
      if (token === undefined || token === null) throw unauthenticated('auth.unauthenticated', 'Send the access token as auth.token.');
      if (typeof token !== 'string') throw unauthenticated('auth.token_invalid', 'The token is not valid.');
      const claims = verify(token, config);

      // A token stays valid until it expires: revocation lives in the database.
      const user = await User.findById(claims.sub).lean<{ _id: string; name: string; role: Role; revokedAt: Date | null }>().exec();
      if (!user) throw unauthenticated('auth.token_invalid', 'The token names no user.');
      if (user.revokedAt) throw unauthenticated('auth.revoked', 'This account has been revoked.');

      const data: HandshakeData = {
        user: { id: user._id, name: user.name, role: user.role },
        expiresAt: (claims.exp + config.jwt.clockToleranceSeconds) * 1000,
      };
      Object.assign(socket.data, data);
      next();
    } catch (error) {
      // jsonwebtoken's messages ("invalid signature", "jwt expired") describe
      // the token to an attacker probing it: the client gets our code only.
      const known = error instanceof AppError ? error : fromLibraryError(error);
      if (known) return next(refusal(known));
      config.log({ socket: socket.id, phase: 'handshake', error });
      next(refusal(new AppError(503, 'server.unavailable', 'The server cannot accept connections right now.')));
    }
  };
}
