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

  // After an uncaught exception (or a rejection nobody handled) the process is
  // in an unknown state: keeping it running risks corrupt data, dying on the
  // spot drops every request in flight. So: log, stop accepting connections,
  // let in-flight requests finish, exit 1 so the supervisor starts a clean one.
  let shuttingDown = false;
  const shutDown = (event: 'unhandledRejection' | 'uncaughtException') => (reason: unknown) => {
    logger.error({ event, err: reason });
    if (shuttingDown) return;
    shuttingDown = true;
    // A request that never finishes must not keep a broken process alive; unref
    // so this timer alone does not hold the process open either.
    setTimeout(() => process.exit(1), shutdownTimeoutMs).unref();
    server.close(() => process.exit(1));
    server.closeIdleConnections();
  };
  process.on('unhandledRejection', shutDown('unhandledRejection'));
  process.on('uncaughtException', shutDown('uncaughtException'));
  return server;
}
