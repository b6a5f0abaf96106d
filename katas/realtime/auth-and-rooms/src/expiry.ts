import type { Socket } from 'socket.io';
import type { RoomsConfig } from './config';

/**
 * A token was checked once, at the handshake, and the connection may outlive
 * it by hours. Ends the connection when the token expires: the client is told
 * why (`auth:expired`), then disconnected, and must come back with a fresh token.
 */
export function expireWithToken(socket: Socket, config: RoomsConfig): void {
  // TODO: with config.clock.schedule(), at socket.data.expiresAt emit
  // auth:expired { code: 'auth.token_expired', message } and disconnect the
  // socket; cancel the timer when the socket disconnects first.
  void [socket, config];
}
