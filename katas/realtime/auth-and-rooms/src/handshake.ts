import type { ExtendedError, Socket } from 'socket.io';
import { AppError } from '../../../../lib/errors';
import { refusal } from './acks';
import type { RoomsConfig } from './config';
import type { SocketUser } from './models';

/** What the handshake leaves on `socket.data` for the handlers. */
export interface HandshakeData {
  user: SocketUser;
  /** When the token stops being accepted (exp plus the clock tolerance), in ms. */
  expiresAt: number;
}

/**
 * The `io.use()` middleware: a connection is accepted only with a valid access
 * token of a user who still exists and is not revoked. A refusal reaches the
 * client as `connect_error` whose `data` is `{ code, message }`.
 */
export function authenticate(config: RoomsConfig) {
  return async (socket: Socket, next: (error?: ExtendedError) => void) => {
    // TODO: verify socket.handshake.auth.token (HS256, issuer, audience,
    // config.clock, the tolerance), load its user from MongoDB, put
    // HandshakeData on socket.data, and refuse with next(refusal(appError)):
    // auth.unauthenticated, auth.token_invalid, auth.token_expired, auth.revoked.
    void [config, socket];
    next(refusal(new AppError(501, 'not_implemented', 'The handshake is not written yet.')));
  };
}
