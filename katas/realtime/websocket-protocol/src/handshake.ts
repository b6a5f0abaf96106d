import crypto from 'node:crypto';
import type http from 'node:http';

/** The GUID every server appends to the key (RFC 6455 §1.3). */
export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface HandshakeOptions {
  /** The path the WebSocket lives on, e.g. `/echo`. */
  path: string;
  /** Exact origins (`https://chat.example`) a browser page may connect from. */
  allowedOrigins: readonly string[];
  /** Subprotocols we speak, most preferred first. */
  protocols: readonly string[];
}

export type Handshake =
  | { accepted: true; headers: Record<string, string>; protocol: string | undefined }
  | { accepted: false; status: number; code: string; message: string; headers?: Record<string, string> };

/** `Sec-WebSocket-Accept`: base64(SHA-1(key + GUID)); proves the server read this handshake. */
export function acceptKey(_key: string): string {
  // TODO: compute base64(SHA-1(key + GUID)) with node:crypto (RFC 6455 §4.2.2).
  void crypto;
  return '';
}

const refuse = (status: number, code: string, message: string, headers?: Record<string, string>): Handshake => ({
  accepted: false,
  status,
  code,
  message,
  ...(headers ? { headers } : {}),
});

/**
 * Decides an upgrade request (RFC 6455 §4.2.1): every check a server must
 * make before it switches protocols, in the order that gives the most useful
 * answer.
 */
export function negotiate(req: http.IncomingMessage, options: HandshakeOptions): Handshake {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== options.path) return refuse(404, 'websocket.not_found', `No WebSocket at ${url.pathname}.`);
  // TODO: refuse what is not a version-13 WebSocket handshake with a valid key from an allowed origin:
  // 405 websocket.bad_method, 400 websocket.bad_upgrade, 426 websocket.unsupported_version (with a
  // Sec-WebSocket-Version: 13 header), 400 websocket.bad_key, 403 websocket.origin_forbidden.
  const key = String(req.headers['sec-websocket-key']);

  // TODO: select the subprotocol: our most preferred among those the client offered, or none at all.
  const protocol: string | undefined = undefined;
  const headers: Record<string, string> = {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Accept': acceptKey(key),
  };
  if (protocol) headers['Sec-WebSocket-Protocol'] = protocol;
  return { accepted: true, headers, protocol };
}
