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
 * Listens on port 0 unless told otherwise (a tool may let a person pick one)
 * and returns the URL. No test-runner hooks: tools and benchmarks use this;
 * specs use `startServer()`.
 *
 * @example
 *   const running = await listen(createApp());
 *   await fetch(`${running.url}/health`);
 *   await running.close();
 */
export async function listen(
  handler: http.RequestListener,
  { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
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
