/*
 * Spec fixture for process-crash.spec.ts, run in its own process:
 *   node --import tsx crash-child.ts <path of src/server.ts> <rejection|exception> [shutdownTimeoutMs]
 * Serves one slow route through the kata's `serve()`; a request to it sets off
 * the failure while that request is still in flight. `/hang` never answers: a
 * request to it keeps the server from closing until the shutdown time limit.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';

const [serverModule, failure, shutdownTimeoutMs] = process.argv.slice(2);
if (!serverModule || (failure !== 'rejection' && failure !== 'exception')) {
  throw new Error(`usage: crash-child.ts <server module> <rejection|exception>; got ${JSON.stringify(process.argv.slice(2))}`);
}
// The spec picks the starter's or the solution's server.ts (KATA_TARGET).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serve } = require(serverModule) as typeof import('./src/server');

const app = express();
app.get('/slow', (_req, res) => {
  setImmediate(() => {
    if (failure === 'exception') throw new Error('kaboom: an uncaught exception');
    void Promise.reject(new Error('kaboom: an unhandled rejection'));
  });
  setTimeout(() => res.json({ finished: true }), 150);
});

app.get('/hang', () => {});

const server = serve(app, { port: 0, logger: console, ...(shutdownTimeoutMs ? { shutdownTimeoutMs: Number(shutdownTimeoutMs) } : {}) });
server.on('listening', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
