import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running HTTP server and the base URL it answers on. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  readonly url: string;
  readonly server: http.Server;
  /** Closes the server and every open connection; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Listens on port 0 (never a fixed port) and returns the URL. No test-runner
 * hooks: tools and benchmarks use this; specs use `startServer()`.
 *
 * @example
 *   const running = await listen(createApp());
 *   await fetch(`${running.url}/health`);
 *   await running.close();
 */
export async function listen(handler: http.RequestListener, host = '127.0.0.1'): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    server,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
