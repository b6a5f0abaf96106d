import type http from 'node:http';
import { closeWithScope } from '../jest/close-with-scope';
import { listen, type RunningServer } from './listen';

export type { RunningServer } from './listen';

/**
 * Listens on port 0 and closes the server for you: after the current test
 * when called inside one, at the end of the file when called in `beforeAll`.
 *
 * @example
 *   const { url } = await startServer(createApp());
 *   const res = await fetch(`${url}/health`);
 */
export async function startServer(handler: http.RequestListener): Promise<RunningServer> {
  return closeWithScope(await listen(handler));
}
