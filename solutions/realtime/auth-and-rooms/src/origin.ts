import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';
import type { RoomsConfig } from './config';

/**
 * The Socket.io server options that guard the handshake itself, before any
 * middleware runs.
 */
export function serverOptions(config: RoomsConfig): Partial<ServerOptions> {
  const allowed = new Set(config.allowedOrigins);
  // A browser sends the page's origin with every WebSocket handshake and a page
  // cannot forge it; the WebSocket handshake is not subject to CORS, so without
  // this check any site can open a socket with the visitor's cookies
  // (cross-site WebSocket hijacking). Exact match: a prefix or a regex without
  // anchors lets https://app.example.com.evil.net in. No Origin at all is a
  // non-browser client, which must still bring a token.
  const originAllowed = (origin: string | undefined) => origin === undefined || allowed.has(origin);
  return {
    allowRequest: (req: IncomingMessage, callback: (message: string | null | undefined, success: boolean) => void) => {
      const ok = originAllowed(req.headers.origin);
      callback(ok ? null : 'Origin not allowed.', ok);
    },
    // For the polling transport, which is plain HTTP: the browser needs the
    // CORS headers to let the page read the answers. The array is matched
    // exactly, one origin echoed back, never "*".
    cors: { origin: config.allowedOrigins },
    // Chat payloads are small; the 1 MB default lets every socket make the
    // server buffer a megabyte per packet.
    maxHttpBufferSize: 16_000,
  };
}
