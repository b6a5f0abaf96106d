import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { listen } from './listen';
import { startServer } from './start-server';

const hello: http.RequestListener = (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ ok: true }));
};

describe('startServer()', () => {
  it('listens on a free port on the loopback interface and answers', async () => {
    const { url } = await startServer(hello);

    const res = await fetch(`${url}/anything`);

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await res.json()).toEqual({ ok: true });
  });

  let fromPreviousTest: Awaited<ReturnType<typeof startServer>> | undefined;

  it('gives every call its own port', async () => {
    const first = await startServer(hello);
    const second = await startServer(hello);

    expect(first.url).not.toBe(second.url);
    fromPreviousTest = first;
  });

  it('closed the servers a test started once that test ended', () => {
    expect(fromPreviousTest?.server.listening).toBe(false);
  });
});

describe('listen().close()', () => {
  it('closes even while a keep-alive connection is open, and is safe to call twice', async () => {
    const running = await listen(hello);
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get(`${running.url}/`, { agent }, (res) => res.resume().on('end', resolve)));

    await running.close();
    await running.close();

    expect(running.server.listening).toBe(false);
    agent.destroy();
  });
});
