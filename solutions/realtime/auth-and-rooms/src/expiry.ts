import type { Socket } from 'socket.io';
import type { RoomsConfig } from './config';
import type { HandshakeData } from './handshake';

/**
 * A token was checked once, at the handshake, and the connection may outlive
 * it by hours. Ends the connection when the token expires: the client is told
 * why (`auth:expired`), then disconnected, and must come back with a fresh token.
 */
export function expireWithToken(socket: Socket, config: RoomsConfig): void {
  const { expiresAt } = socket.data as HandshakeData;
  const cancel = config.clock.schedule(expiresAt - config.clock.now(), () => {
    socket.emit('auth:expired', { code: 'auth.token_expired', message: 'The access token has expired: reconnect with a new one.' });
    socket.disconnect(true);
  });
  // One timer per connection: cancelled with it, or every closed tab leaves a
  // timer (and the socket it holds) behind until the token's expiry.
  socket.once('disconnect', cancel);
}
