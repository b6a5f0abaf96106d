import type http from 'node:http';
import { afterAll, afterEach, expect } from '@jest/globals';
import { listen, type RunningServer } from './listen';

export type { RunningServer } from './listen';

// Jest refuses hooks declared inside a test, so the closing hooks are
// registered once, when a spec file imports the harness, and close whatever
// the file opened: a server started inside a test closes after that test,
// one started in `beforeAll` when the file ends.
const openedInTest = new Set<RunningServer>();
const openedForFile = new Set<RunningServer>();

afterEach(async () => {
  await Promise.all([...openedInTest].map((running) => running.close()));
  openedInTest.clear();
});

afterAll(async () => {
  await Promise.all([...openedForFile].map((running) => running.close()));
  openedForFile.clear();
});

/**
 * Listens on port 0 and closes the server for you: after the current test
 * when called inside one, at the end of the file when called in `beforeAll`.
 *
 * @example
 *   const { url } = await startServer(createApp());
 *   const res = await fetch(`${url}/health`);
 */
export async function startServer(handler: http.RequestListener): Promise<RunningServer> {
  const running = await listen(handler);
  const insideTest = Boolean(expect.getState().currentTestName);
  (insideTest ? openedInTest : openedForFile).add(running);
  return running;
}
