/*
 * Wrong solutions these specs catch:
 * - Sec-WebSocket-Accept from the key alone, or with another GUID, or hex
 *   instead of base64, or computed once and reused;
 * - Upgrade/Connection compared as exact strings ("websocket", "Upgrade"):
 *   browsers send "keep-alive, Upgrade", and header values are case-insensitive;
 * - a subprotocol header echoing the client's whole list, its first entry,
 *   or one it never offered;
 * - any Origin allowed, or allowed by prefix ("https://chat.example.evil.test"),
 *   or without its scheme;
 * - a version check that answers 400 without telling the client which version to use;
 * - a key check that only tests presence (any string, 15 or 17 bytes);
 * - a refused handshake left hanging (no body, connection never closed).
 */
import { describe, expect, it } from '@jest/globals';
import { acceptFor, openRawSocket, websocketKey } from '../../../harness';
import { allowedOrigin, openRaw, openWs, startEcho } from './echo-fixture';

describe('1. Accept the handshake', () => {
  it('answers the RFC\'s example key with its example accept value, and switches protocols', async () => {
    const { url } = await startEcho();

    const raw = await openRaw(url, { headers: { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });

    expect(raw.response.status).toBe(101);
    expect(raw.response.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(raw.response.headers.upgrade?.toLowerCase()).toBe('websocket');
    expect(raw.response.headers.connection?.toLowerCase()).toBe('upgrade');
  });

  it('computes the accept value from each client\'s own key (50 handshakes at once)', async () => {
    const { url } = await startEcho();
    const keys = Array.from({ length: 50 }, () => websocketKey());

    const sockets = await Promise.all(keys.map((key) => openRaw(url, { headers: { 'Sec-WebSocket-Key': key } })));

    expect(sockets.map((raw) => raw.response.headers['sec-websocket-accept'])).toEqual(keys.map((key) => acceptFor(key)));
  });

  it('lets the ws client (an independent implementation) connect, from an allowed origin or from no browser at all', async () => {
    const { wsUrl, endpoint } = await startEcho();

    const fromPage = await openWs(wsUrl, [], { origin: allowedOrigin });
    const fromServer = await openWs(wsUrl);

    expect(fromPage.readyState).toBe(fromPage.OPEN);
    expect(fromServer.readyState).toBe(fromServer.OPEN);
    expect(endpoint.clients.size).toBe(2);
  });

  it('reads Upgrade and Connection as case-insensitive token lists, as browsers send them', async () => {
    const { url } = await startEcho();

    const raw = await openRaw(url, { headers: { Upgrade: 'WebSocket', Connection: 'keep-alive, Upgrade' } });

    expect(raw.response.status).toBe(101);
  });

  describe('subprotocols', () => {
    it.each([
      ['chat.v1, chat.v2', 'chat.v2'],
      ['chat.v1', 'chat.v1'],
      ['mqtt ,chat.v1', 'chat.v1'],
    ])('when the client offers "%s", selects %s (our preference among what it offered)', async (offered, selected) => {
      const { url } = await startEcho();

      const raw = await openRaw(url, { headers: { 'Sec-WebSocket-Protocol': offered } });

      expect(raw.response.headers['sec-websocket-protocol']).toBe(selected);
    });

    it.each([['mqtt, stomp'], [null]])('when the client offers %s, answers no subprotocol at all', async (offered) => {
      const { url } = await startEcho();

      const raw = await openRaw(url, { headers: { 'Sec-WebSocket-Protocol': offered } });

      expect(raw.response.status).toBe(101);
      expect(raw.response.headers).not.toHaveProperty('sec-websocket-protocol');
    });

    it('agrees on one with the ws client', async () => {
      const { wsUrl } = await startEcho();

      const ws = await openWs(wsUrl, ['chat.v1', 'chat.v2']);

      expect(ws.protocol).toBe('chat.v2');
    });
  });
});

describe('2. Refuse bad handshakes', () => {
  /** Opens a raw handshake that must be refused; checks the JSON error and that the connection ends. */
  async function refused(url: string, headers: Record<string, string | null>, { path = '/echo', method = 'GET' } = {}) {
    const raw = await openRawSocket(url, { path, method, headers });
    if (raw.response.status === 101) throw new Error(`expected the handshake to be refused, got 101 for ${JSON.stringify(headers)}`);
    await raw.waitForEnd();
    const body: unknown = JSON.parse(raw.response.body || 'null');
    return { status: raw.response.status, headers: raw.response.headers, body };
  }

  it.each([['8'], ['12'], ['13, 8'], [null]])(
    'answers Sec-WebSocket-Version %s with 426 and the version we speak',
    async (version) => {
      const { url } = await startEcho();

      const res = await refused(url, { 'Sec-WebSocket-Version': version });

      expect(res.status).toBe(426);
      expect(res.headers['sec-websocket-version']).toBe('13');
      expect(res.body).toMatchObject({ code: 'websocket.unsupported_version', message: expect.any(String) });
    },
  );

  it.each([['https://evil.example'], ['https://chat.example.evil.example'], ['http://chat.example'], ['https://chat.example:8443'], ['null']])(
    'refuses a page from %s with 403 (cross-site WebSocket hijacking)',
    async (origin) => {
      const { url, endpoint } = await startEcho();

      const res = await refused(url, { Origin: origin });

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'websocket.origin_forbidden' });
      expect(endpoint.clients.size).toBe(0);
    },
  );

  it.each([
    ['missing', null],
    ['not base64', 'this is not base64!!'],
    ['15 bytes', Buffer.alloc(15, 1).toString('base64')],
    ['17 bytes', Buffer.alloc(17, 1).toString('base64')],
    ['empty', ''],
  ])('answers a Sec-WebSocket-Key that is %s with 400', async (_what, key) => {
    const { url } = await startEcho();

    const res = await refused(url, { 'Sec-WebSocket-Key': key });

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'websocket.bad_key' });
  });

  it('answers an upgrade to another protocol with 400', async () => {
    const { url } = await startEcho();

    const res = await refused(url, { Upgrade: 'h2c' });

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'websocket.bad_upgrade' });
  });

  it('answers an upgrade on another path with 404, and a POST with 405', async () => {
    const { url } = await startEcho();

    const elsewhere = await refused(url, {}, { path: '/admin' });
    const posted = await refused(url, {}, { method: 'POST' });

    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toMatchObject({ code: 'websocket.not_found' });
    expect(posted.status).toBe(405);
    expect(posted.body).toMatchObject({ code: 'websocket.bad_method' });
  });

  it('still accepts good handshakes after a storm of bad ones', async () => {
    const { url, wsUrl } = await startEcho();

    const storm = await Promise.all(
      Array.from({ length: 30 }, (_, i) => refused(url, i % 2 ? { Origin: 'https://evil.example' } : { 'Sec-WebSocket-Key': 'x' })),
    );
    const ws = await openWs(wsUrl);

    expect(storm.map((res) => res.status)).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 ? 403 : 400)));
    expect(ws.readyState).toBe(ws.OPEN);
  });
});
