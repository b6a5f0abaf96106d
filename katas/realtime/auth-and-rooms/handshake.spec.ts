/*
 * Wrong solutions these specs catch:
 * - jwt.decode instead of jwt.verify, or a verifier that lets the token's
 *   header pick the algorithm (alg "none", HS512);
 * - iss, aud or the injected clock not checked;
 * - the library's error passed to next(): the client reads "jwt expired" or
 *   "invalid signature" and gets no code;
 * - a token taken from the query string, where it ends up in access logs;
 * - a revoked user let back in because the token is still valid;
 * - an Origin checked by prefix or substring, or not checked on WebSocket
 *   handshakes (CORS does not apply to them).
 */
import { describe, expect, it } from '@jest/globals';
import { ConnectError, useMongo } from '../../../harness';
import { appOrigin, pollingHandshake, refusal, startRooms, tokenFor, type Rooms, type TokenOptions } from './rooms-fixture';

useMongo();

// jsonwebtoken's own words: describing why a token failed helps whoever forges one.
const libraryWords = /jwt|signature|algorithm|malformed|audience|issuer|expected/i;

describe('1. Authenticate the handshake', () => {
  it('accepts a valid token and knows who is connected, from the database', async () => {
    const rooms = await startRooms();

    const alice = await rooms.connectAs('alice');

    expect(alice.connected).toBe(true);
    const [socket] = await rooms.io.fetchSockets();
    expect(socket?.data.user).toEqual({ id: 'alice', name: 'Alice', role: 'member' });
  });

  const badTokens: [string, (rooms: Rooms) => Record<string, unknown>, string][] = [
    ['no auth at all', () => ({}), 'auth.unauthenticated'],
    ['a null token', () => ({ auth: { token: null } }), 'auth.unauthenticated'],
    ['the token in the query string, where logs keep it', (r) => ({ query: { token: tokenFor('alice', r.clock) } }), 'auth.unauthenticated'],
    ['a number as the token', () => ({ auth: { token: 42 } }), 'auth.token_invalid'],
    ['an object as the token', () => ({ auth: { token: { sub: 'alice' } } }), 'auth.token_invalid'],
    ['a string that is no JWT', () => ({ auth: { token: 'not.a.jwt' } }), 'auth.token_invalid'],
    ['a token signed with another secret', (r) => ({ auth: { token: tokenFor('alice', r.clock, { secret: 'another-secret-0123456789abcdef0123456789' }) } }), 'auth.token_invalid'],
    ['a token signed with HS512 and the right secret', (r) => ({ auth: { token: tokenFor('alice', r.clock, { algorithm: 'HS512' }) } }), 'auth.token_invalid'],
    ['an unsigned token (alg none)', (r) => ({ auth: { token: tokenFor('alice', r.clock, { algorithm: 'none' }) } }), 'auth.token_invalid'],
    ['a token from another issuer', (r) => ({ auth: { token: tokenFor('alice', r.clock, { issuer: 'https://evil.example' }) } }), 'auth.token_invalid'],
    ['a token for another audience', (r) => ({ auth: { token: tokenFor('alice', r.clock, { audience: 'billing-api' }) } }), 'auth.token_invalid'],
    ['a token without exp', (r) => ({ auth: { token: tokenFor('alice', r.clock, { claims: { exp: undefined } }) } }), 'auth.token_invalid'],
    ['a token without sub', (r) => ({ auth: { token: tokenFor('alice', r.clock, { claims: { sub: undefined } }) } }), 'auth.token_invalid'],
    ['a token that expired 6 s ago (past the 5 s tolerance)', (r) => ({ auth: { token: tokenFor('alice', r.clock, { ttlSeconds: -6 }) } }), 'auth.token_expired'],
    ['a token naming no user', (r) => ({ auth: { token: tokenFor('mallory', r.clock) } }), 'auth.token_invalid'],
    ['a valid token of a revoked user', (r) => ({ auth: { token: tokenFor('rex', r.clock) } }), 'auth.revoked'],
  ];

  it.each(badTokens)('refuses %s with a connect_error carrying our code, not the library message', async (_what, options, code) => {
    const rooms = await startRooms();

    const error = await refusal(rooms.connect(options(rooms)));

    expect(error.data).toEqual({ code, message: expect.any(String) });
    expect((error.data as { message: string }).message).not.toMatch(libraryWords);
    expect((error.cause as Error).message).not.toMatch(libraryWords);
    expect(rooms.io.of('/').sockets.size).toBe(0);
  });

  it('reads exp with the injected clock and its tolerance: 4 s past exp still connects', async () => {
    const rooms = await startRooms();

    const alice = await rooms.connectAs('alice', { ttlSeconds: -4 });

    expect(alice.connected).toBe(true);
  });

  it('sorts 50 handshakes at once, half of them forged, exactly', async () => {
    const rooms = await startRooms();
    const forged: TokenOptions = { secret: 'forged-secret-0123456789abcdef0123456789' };

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => rooms.connectAs(i % 2 === 0 ? 'alice' : 'bob', i % 2 === 0 ? {} : forged)),
    );

    const connected = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(connected).toHaveLength(25);
    expect(refused.every((reason) => reason instanceof ConnectError && (reason.data as { code?: string })?.code === 'auth.token_invalid')).toBe(true);
    expect((await rooms.io.fetchSockets()).map((socket) => socket.data.user.id)).toEqual(Array(25).fill('alice'));
  });
});

describe('2. Refuse foreign origins', () => {
  it('lets a page of an allowed origin connect, and answers its polling handshake with that origin only', async () => {
    const rooms = await startRooms();

    const alice = await rooms.connectAs('alice', {}, { extraHeaders: { origin: appOrigin } });
    const polling = await pollingHandshake(rooms.url, appOrigin);

    expect(alice.connected).toBe(true);
    expect(polling.status).toBe(200);
    expect(polling.headers['access-control-allow-origin']).toBe(appOrigin);
  });

  it.each([
    'https://evil.example',
    'https://app.example.evil',
    'https://app.example.com',
    'https://evil.app.example',
    'http://app.example',
    'https://app.example:8443',
    'https://app.exampl',
    'null',
  ])('refuses a WebSocket handshake from %s before any middleware, even with a valid token', async (origin) => {
    const rooms = await startRooms();
    let middlewareRan = false;
    rooms.io.use((_socket, next) => {
      middlewareRan = true;
      next();
    });

    await refusal(rooms.connectAs('alice', {}, { extraHeaders: { origin } }));
    const polling = await pollingHandshake(rooms.url, origin);

    expect(middlewareRan).toBe(false);
    expect(rooms.io.of('/').sockets.size).toBe(0);
    expect(polling.status).toBe(403);
    expect(polling.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a client without an Origin (not a browser) connect with a token, but not without one', async () => {
    const rooms = await startRooms();

    const service = await rooms.connectAs('ada');
    const anonymous = await refusal(rooms.connect());

    expect(service.connected).toBe(true);
    expect(anonymous.data).toMatchObject({ code: 'auth.unauthenticated' });
  });
});
