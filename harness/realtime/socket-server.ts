import type http from 'node:http';
import type net from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { closeWithScope } from '../jest/close-with-scope';
import { listen } from '../http/listen';

/** A Socket.io server listening on its own HTTP server, on a free port. */
export interface RunningSocketServer {
  readonly io: Server;
  /** `http://127.0.0.1:PORT`: what `connectClient()` and `fetch()` take. */
  readonly url: string;
  readonly server: http.Server;
  /**
   * Disconnects every socket, closes the engine, the adapters and the HTTP
   * server (connections a client left open included). Safe to call twice.
   */
  close(): Promise<void>;
}

export interface SocketServerOptions {
  /** Serves the HTTP requests that are not Socket.io's (an Express app); 404 by default. */
  app?: http.RequestListener;
  /** Passed to `new Server()`; `serveClient: false` unless you say otherwise. */
  options?: Partial<ServerOptions>;
}

const notFound: http.RequestListener = (_req, res) => {
  res.statusCode = 404;
  res.end();
};

/**
 * Starts an HTTP server on port 0 with a Socket.io server attached, hands the
 * `io` to `setup` (where the kata's code registers its middleware and
 * handlers), and closes both after the current test, or when the file ends if
 * called in `beforeAll`.
 *
 * @example
 *   const { url, io } = await startSocketServer((io) => registerChat(io, { messages }), {
 *     options: { maxHttpBufferSize: 10_000 },
 *   });
 *   const client = await connectClient(url);
 */
export async function startSocketServer(
  setup: (io: Server) => unknown = () => {},
  { app = notFound, options = {} }: SocketServerOptions = {},
): Promise<RunningSocketServer> {
  const running = await listen(app);
  const connections = new Set<net.Socket>();
  running.server.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  const io = new Server(running.server, { serveClient: false, ...options });
  let closing: Promise<void> | undefined;
  const socketServer: RunningSocketServer = {
    io,
    url: running.url,
    server: running.server,
    close() {
      closing ??= (async () => {
        // io.close() ends with httpServer.close(), which waits for every TCP
        // connection: a client that never answers the WebSocket close (or a
        // keep-alive polling connection) would hold it open, so cut them.
        const ioClosed = io.close();
        for (const socket of connections) socket.destroy();
        await ioClosed;
      })();
      return closing;
    },
  };
  closeWithScope(socketServer);
  try {
    await setup(io);
  } catch (error) {
    await socketServer.close();
    throw error;
  }
  return socketServer;
}
