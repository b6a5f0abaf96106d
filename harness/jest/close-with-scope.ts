import { afterAll, afterEach, beforeEach } from '@jest/globals';

/** Anything a verb opens and must close: a server, a client, a socket. */
export interface Closeable {
  close(): Promise<void> | void;
}

// Jest refuses hooks declared inside a test, so the closing hooks are
// registered once, when a spec file first imports the harness, and close
// whatever the file opened: a resource opened inside a test closes after that
// test, one opened in `beforeAll` (or at the top of the file) when the file ends.
// Newest first, so a client closes before the server it talks to.
const openedInTest: Closeable[] = [];
const openedForFile: Closeable[] = [];

async function closeAll(list: Closeable[]): Promise<void> {
  const closing = list.splice(0).reverse();
  const results = await Promise.allSettled(closing.map((resource) => resource.close()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

// Whether a test is running: from the file's first beforeEach hook (this one, registered when the
// file imports the harness) to the closing afterEach below. Not expect's currentTestName, which
// Jest leaves set after a test until the next one starts: a later describe block's beforeAll would
// look like a test, and what it opened would close after that block's first test.
let insideTest = false;
beforeEach(() => {
  insideTest = true;
});
afterEach(async () => {
  try {
    await closeAll(openedInTest);
  } finally {
    insideTest = false;
  }
});
afterAll(() => closeAll(openedForFile));

/**
 * Registers `resource` to be closed when the current scope ends: after the
 * current test when called inside one, when the spec file ends otherwise.
 * Returns `resource`, so a verb can write `return closeWithScope(running)`.
 *
 * @example
 *   const client = closeWithScope(new Client());
 */
export function closeWithScope<T extends Closeable>(resource: T): T {
  (insideTest ? openedInTest : openedForFile).push(resource);
  return resource;
}
