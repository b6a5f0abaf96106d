import { io as createSocket, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { readConfig } from '../config';
import { closeWithScope } from '../jest/close-with-scope';
import type { RunningSocketServer } from './socket-server';

export type ClientSocket = Socket;

/** socket.io-client options, plus where to connect and whether to wait. */
export interface ConnectOptions extends Partial<ManagerOptions & SocketOptions> {
  /** `/admin` connects to that namespace; default `/`. */
  namespace?: string;
  /**
   * `true` (default): resolve once connected, reject with the `connect_error`.
   * `false`: return the socket unconnected (autoConnect off); call
   * `socket.connect()` yourself, e.g. after attaching listeners.
   */
  connect?: boolean;
  /** How long to wait for `connect` or `connect_error` (a safety net, not a measurement). */
  timeoutMs?: number;
}

/** A failed connection: the server's `connect_error`, with its `data` (e.g. `{ code }`). */
export class ConnectError extends Error {
  override name = 'ConnectError';
  constructor(
    message: string,
    readonly data: unknown,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * A socket.io-client socket, closed for you after the test (or when the file
 * ends, if opened in `beforeAll`). Each call opens its own connection
 * (`forceNew`), over WebSocket only unless `transports` says otherwise, and
 * never reconnects unless `reconnection: true`, so a refused handshake
 * surfaces at once as a rejected {@link ConnectError} carrying the server's
 * `err.data`.
 *
 * @example
 *   const alice = await connectClient(server, { auth: { token } });
 *   const ack = await alice.timeout(5_000).emitWithAck('message', { text: 'hi' });
 *
 *   await expect(connectClient(server.url, { auth: {} })).rejects.toMatchObject({
 *     data: { code: 'auth.token_missing' },
 *   });
 *
 *   const late = await connectClient(server, { connect: false });
 *   late.on('welcome', onWelcome);
 *   late.connect();
 */
export async function connectClient(
  target: string | Pick<RunningSocketServer, 'url'>,
  { namespace = '/', connect = true, timeoutMs = readConfig().eventTimeoutMs, ...options }: ConnectOptions = {},
): Promise<ClientSocket> {
  const base = typeof target === 'string' ? target : target.url;
  const socket = createSocket(new URL(namespace, base).toString(), {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    ...options,
    autoConnect: false,
  });
  closeWithScope({ close: () => void socket.disconnect() });
  if (!connect) return socket;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`connectClient: no connect or connect_error from ${base}${namespace} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onConnect = () => {
      settle();
      resolve();
    };
    const onError = (error: Error & { data?: unknown }) => {
      settle();
      reject(new ConnectError(`connect_error from ${base}${namespace}: ${error.message}`, error.data, error));
    };
    function settle() {
      clearTimeout(timer);
      socket.off('connect', onConnect).off('connect_error', onError);
    }
    socket.once('connect', onConnect).once('connect_error', onError);
    socket.connect();
  });
  return socket;
}
