import { WebSocket, type ClientOptions } from 'ws';
import { acceptFor, closeWithScope, openRawSocket, startServer, websocketKey, type RawSocketOptions } from '../../../harness';
import { attachWebSocket, type WebSocketServerOptions } from './src/server';

export const allowedOrigin = 'https://chat.example';

export const defaults: WebSocketServerOptions = {
  path: '/echo',
  allowedOrigins: [allowedOrigin],
  protocols: ['chat.v2', 'chat.v1'],
  maxMessageBytes: 100_000,
  // Long enough that no ping interferes with a spec that is not about the heartbeat.
  heartbeatMs: 600_000,
};

/**
 * An HTTP server on port 0 with the kata's WebSocket endpoint on it; both
 * closed after the test (the endpoint first: it drops the upgraded sockets
 * that would otherwise hold the HTTP server open).
 */
export async function startEcho(overrides: Partial<WebSocketServerOptions> = {}) {
  const running = await startServer((_req, res) => res.writeHead(404).end());
  const endpoint = closeWithScope(attachWebSocket(running.server, { ...defaults, ...overrides }));
  return { url: running.url, wsUrl: `${running.url.replace(/^http/, 'ws')}/echo`, endpoint };
}

/** A raw client on /echo, after a handshake that must have succeeded with the right accept value. */
export async function openRaw(url: string, { headers = {}, ...options }: RawSocketOptions = {}) {
  const key = headers['Sec-WebSocket-Key'] ?? websocketKey();
  const raw = await openRawSocket(url, { path: '/echo', headers: { ...headers, 'Sec-WebSocket-Key': key }, ...options });
  if (raw.response.status !== 101) {
    throw new Error(`expected 101 Switching Protocols, got ${raw.response.status} ${raw.response.body}`);
  }
  if (raw.response.headers['sec-websocket-accept'] !== acceptFor(key)) {
    throw new Error(`expected Sec-WebSocket-Accept ${acceptFor(key)} for key ${key}, got ${raw.response.headers['sec-websocket-accept']}`);
  }
  return raw;
}

/** The `ws` package's client (an independent implementation), open, terminated after the test. */
export async function openWs(wsUrl: string, protocols: string[] = [], options: ClientOptions = {}) {
  const ws = new WebSocket(wsUrl, protocols, options);
  closeWithScope({ close: () => ws.terminate() });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      resolve();
    });
    ws.once('error', reject);
  });
  return ws;
}
