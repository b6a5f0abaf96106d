import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newWebDriverSession, webDriverReady } from './webdriver-client';

// A WebDriver server that takes every request and never answers: a driver stuck starting its browser.
let server: http.Server;
let base: string;
const unanswered: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((_request, response) => void unanswered.push(response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of unanswered) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('a WebDriver server that never answers', () => {
  it('gives up a new session when its signal aborts (the browser start limit)', async () => {
    const limit = new AbortController();
    const session = newWebDriverSession(base, { browserName: 'webkit' }, limit.signal);
    await new Promise((resolve) => setImmediate(resolve));
    limit.abort(new Error('the start limit passed'));

    await expect(session).rejects.toThrow('the start limit passed');
  });

  it('counts as not ready once the signal aborts its /status request', async () => {
    const limit = new AbortController();
    const ready = webDriverReady(base, limit.signal);
    limit.abort();

    await expect(ready).resolves.toBe(false);
  });
});
