import type { ServerOptions } from 'socket.io';
import type { RoomsConfig } from './config';

/**
 * The Socket.io server options that guard the handshake itself, before any
 * middleware runs.
 */
export function serverOptions(config: RoomsConfig): Partial<ServerOptions> {
  // TODO: refuse a handshake whose Origin header is not exactly one of
  // config.allowedOrigins (allowRequest), let one without Origin through (not
  // a browser: its token decides), and answer the polling transport's CORS
  // with the allowed origins only (cors).
  void config;
  return { maxHttpBufferSize: 16_000 };
}
