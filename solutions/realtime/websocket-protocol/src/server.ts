import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketConnection, type ConnectionOptions } from './connection';
import { negotiate, type HandshakeOptions } from './handshake';

export type WebSocketServerOptions = HandshakeOptions & ConnectionOptions;

/** The WebSocket side of an HTTP server; emits `connection` and `disconnect` (code). */
export interface WebSocketEndpoint extends EventEmitter {
  readonly clients: ReadonlySet<WebSocketConnection>;
  /** Drops every connection and stops answering upgrades. */
  close(): void;
}

function refuseUpgrade(socket: Duplex, status: number, body: object, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  const lines = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(json)),
    Connection: 'close',
    ...headers,
  };
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      Object.entries(lines)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `\r\n${json}`,
  );
}

/**
 * Serves WebSockets on `server`'s `upgrade` event, with an echo application:
 * every message comes back to its sender as it was sent (text as text, binary as binary).
 */
export function attachWebSocket(server: http.Server, options: WebSocketServerOptions): WebSocketEndpoint {
  const clients = new Set<WebSocketConnection>();
  const pending = new Set<Duplex>();
  const endpoint = Object.assign(new EventEmitter(), {
    clients,
    close() {
      server.off('upgrade', onUpgrade);
      for (const socket of pending) socket.destroy();
      for (const client of clients) client.terminate();
    },
  });

  function onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    pending.add(socket);
    socket.once('close', () => pending.delete(socket));
    socket.on('error', () => socket.destroy());
    const handshake = negotiate(req, options);
    if (!handshake.accepted) {
      refuseUpgrade(socket, handshake.status, { code: handshake.code, message: handshake.message }, handshake.headers);
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        Object.entries(handshake.headers)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('') +
        '\r\n',
    );
    pending.delete(socket);
    const connection = new WebSocketConnection(socket, options);
    clients.add(connection);
    connection.on('message', (data: Buffer, isBinary: boolean) => connection.send(data, isBinary));
    connection.once('close', (code?: number) => {
      clients.delete(connection);
      endpoint.emit('disconnect', code);
    });
    endpoint.emit('connection', connection);
    // Bytes the client sent right behind its handshake belong to the frame stream.
    if (head.length > 0) socket.unshift(head);
  }

  server.on('upgrade', onUpgrade);
  return endpoint;
}
