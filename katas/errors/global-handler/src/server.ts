import http from 'node:http';
import type { Logger } from './error-handler';

export interface ServeOptions {
  port?: number;
  logger?: Logger;
  /** How long in-flight requests may take to finish once the process is going down. */
  shutdownTimeoutMs?: number;
}

/**
 * Runs `app` as this process's HTTP server. The only place that listens: the
 * app itself (app.ts) never does, so specs can run it on port 0.
 */
export function serve(app: http.RequestListener, { port = 0, logger = console, shutdownTimeoutMs = 10_000 }: ServeOptions = {}): http.Server {
  const server = http.createServer(app);
  server.listen(port);
  // TODO: an unhandled rejection or uncaught exception kills the process at once, dropping every request in flight.
  void logger;
  void shutdownTimeoutMs;
  return server;
}
