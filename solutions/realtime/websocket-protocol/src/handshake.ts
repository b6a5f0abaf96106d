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
export function acceptKey(key: string): string {
  return crypto.createHash('sha1').update(key + GUID).digest('base64');
}

const refuse = (status: number, code: string, message: string, headers?: Record<string, string>): Handshake => ({
  accepted: false,
  status,
  code,
  message,
  ...(headers ? { headers } : {}),
});

/** Comma-separated header tokens, trimmed, empty ones dropped. */
function tokens(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
}

/** A key is 16 random bytes in base64: exactly 24 characters that decode back to themselves. */
function isValidKey(key: string | undefined): key is string {
  if (!key || !/^[A-Za-z0-9+/]{22}==$/.test(key)) return false;
  return Buffer.from(key, 'base64').length === 16;
}

/**
 * Decides an upgrade request (RFC 6455 §4.2.1): every check a server must
 * make before it switches protocols, in the order that gives the most useful
 * answer.
 */
export function negotiate(req: http.IncomingMessage, options: HandshakeOptions): Handshake {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== options.path) return refuse(404, 'websocket.not_found', `No WebSocket at ${url.pathname}.`);
  if (req.method !== 'GET') return refuse(405, 'websocket.bad_method', `A handshake is a GET, not ${req.method}.`);

  const upgrade = tokens(req.headers.upgrade).map((token) => token.toLowerCase());
  const connection = tokens(req.headers.connection).map((token) => token.toLowerCase());
  if (!upgrade.includes('websocket') || !connection.includes('upgrade')) {
    return refuse(400, 'websocket.bad_upgrade', 'Expected Upgrade: websocket and Connection: Upgrade.');
  }
  // The version check comes before the key: a client of another version
  // learns which one we speak (426 with Sec-WebSocket-Version) and can retry.
  if (req.headers['sec-websocket-version'] !== '13') {
    return refuse(426, 'websocket.unsupported_version', 'Only WebSocket version 13 is supported.', {
      'Sec-WebSocket-Version': '13',
    });
  }
  const key = req.headers['sec-websocket-key'];
  if (!isValidKey(key)) return refuse(400, 'websocket.bad_key', 'Sec-WebSocket-Key must be 16 bytes in base64.');

  // Browsers always send Origin and the page cannot forge it: without this
  // check any site a user visits can open a socket with their cookies
  // (cross-site WebSocket hijacking). Exact matches only: a prefix or suffix
  // test lets https://chat.example.evil.test through. Non-browser clients send
  // no Origin, and cookies are not theirs to abuse.
  const origin = req.headers.origin;
  if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
    return refuse(403, 'websocket.origin_forbidden', `Origin ${origin} may not open this WebSocket.`);
  }

  // Our preference among what the client offered; none in common means no
  // header at all (never one the client did not offer), and the client decides.
  const offered = tokens(req.headers['sec-websocket-protocol']);
  const protocol = options.protocols.find((candidate) => offered.includes(candidate));
  const headers: Record<string, string> = {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Accept': acceptKey(key),
  };
  if (protocol) headers['Sec-WebSocket-Protocol'] = protocol;
  return { accepted: true, headers, protocol };
}
