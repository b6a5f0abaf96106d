/**
 * The hang guard of a test that puts a crowd in flight at once (50 clients, 100 requests):
 * Jest's 20 s (jest.config.ts) is short for it on a busy machine, where such a test took
 * 11 to 23 s in a solution run on four workers beside the browser gradings (0.8 s idle).
 * Only for tests that wait on events and answers, never on a deadline: the limit stops a
 * hang, it judges no speed.
 *
 * @example
 *   it('admits exactly 10 of 100 at once', async () => { … }, CROWD_TEST_TIMEOUT_MS);
 */
export const CROWD_TEST_TIMEOUT_MS = 90_000;
