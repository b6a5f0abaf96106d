/*
 * Wrong solutions these specs catch:
 * - jwt.verify(token, secret) with no `algorithms`: a token signed HS384 with the
 *   same secret (or any algorithm the header names) is accepted;
 * - no issuer/audience check: a token this key signed for another service passes;
 * - trusting a well-signed token whose subject no longer exists (a deleted account);
 * - reading the wall clock (the specs inject one) or no clock tolerance: a token
 *   3 s past `exp` on a server whose clock runs ahead is refused;
 * - answering 403 for a bad token (the tutorial's `res.sendStatus(403)`): 403 is
 *   "known but not allowed", a bad token is 401;
 * - no WWW-Authenticate challenge (RFC 6750 §3), or the same code for an expired
 *   token as for a forged one (a client refreshes on auth.token_expired only);
 * - split(' ')[1]: any scheme passes ("Token <jwt>", "Basic <jwt>"), or a case-
 *   sensitive "Bearer" check refusing "bearer" (RFC 7235: schemes are case-insensitive).
 */
import { describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { useMongo, expectProblem } from '../../../harness';
import { ada, config, manualClock, users } from './fixtures';
import { createApp } from './src/app';

useMongo();

function setup() {
  const clock = manualClock();
  const app = createApp({ config, clock, users: users(), log: () => {} });
  /** A token as the app should sign one, with `overrides` for the part under test. */
  const token = (overrides: { secret?: string; algorithm?: jwt.Algorithm; issuer?: string; audience?: string; iat?: number; expiresIn?: number } = {}) =>
    jwt.sign({ sub: '1', iat: overrides.iat ?? clock.seconds() }, overrides.secret ?? config.accessSecret, {
      algorithm: overrides.algorithm ?? 'HS256',
      issuer: overrides.issuer ?? config.issuer,
      audience: overrides.audience ?? config.audience,
      expiresIn: overrides.expiresIn ?? config.accessTtlSeconds,
    });
  return { app, clock, token };
}

function expectInvalidToken(res: request.Response, code = 'auth.token_invalid') {
  expectProblem(res, 401, code);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer\b.*error="invalid_token"/);
}

describe('1. Sign and verify strictly', () => {
  describe('POST /auth/login', () => {
    it('answers a short-lived HS256 access token with iss, aud and times from the injected clock, which GET /me accepts', async () => {
      const { app, clock } = setup();

      const login = await request(app).post('/auth/login').send(ada);
      const me = await request(app).get('/me').set('Authorization', `Bearer ${login.body.accessToken}`);

      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: config.accessTtlSeconds });
      const decoded = jwt.decode(login.body.accessToken, { complete: true });
      expect(decoded?.header.alg).toBe('HS256');
      expect(decoded?.payload).toMatchObject({ sub: '1', iss: config.issuer, aud: config.audience, iat: clock.seconds(), exp: clock.seconds() + 900 });
      expect(me.status).toBe(200);
      expect(me.body).toEqual({ id: '1', email: ada.email });
    });
  });

  describe('GET /me', () => {
    describe('when the token is valid', () => {
      it('forgives a few seconds of clock skew past exp', async () => {
        const { app, clock, token } = setup();
        const issued = token();
        clock.advance((config.accessTtlSeconds + 3) * 1000);

        const res = await request(app).get('/me').set('Authorization', `Bearer ${issued}`);

        expect(res.status).toBe(200);
      });
    });

    describe('when the token has expired', () => {
      it('answers 401 auth.token_expired, a code of its own, with an auth.token_invalid challenge', async () => {
        const { app, clock, token } = setup();
        const issued = token();
        clock.advance((config.accessTtlSeconds + 60) * 1000);

        const res = await request(app).get('/me').set('Authorization', `Bearer ${issued}`);

        expectInvalidToken(res, 'auth.token_expired');
      });
    });

    describe('when the token is forged or meant for someone else', () => {
      it.each([
        ['signed with another secret', { secret: 'an-attackers-secret-0123456789abcdef0123' }],
        ['signed with another algorithm (HS384) and the right secret', { algorithm: 'HS384' as const }],
        ['issued by another issuer', { issuer: 'https://evil.example' }],
        ['meant for another audience', { audience: 'billing-api' }],
      ])('answers 401 auth.token_invalid when it is %s', async (_label, overrides) => {
        const { app, token } = setup();

        const res = await request(app).get('/me').set('Authorization', `Bearer ${token(overrides)}`);

        expectInvalidToken(res);
      });

      it('answers 401 auth.token_invalid when a well-signed token names no user (a deleted account)', async () => {
        const { app, clock } = setup();
        const orphan = jwt.sign({ sub: '99', iat: clock.seconds() }, config.accessSecret, { algorithm: 'HS256', issuer: config.issuer, audience: config.audience, expiresIn: 60 });

        const res = await request(app).get('/me').set('Authorization', `Bearer ${orphan}`);

        expectInvalidToken(res);
      });

      it('answers 401 auth.token_invalid for an unsigned token (alg "none")', async () => {
        const { app, clock } = setup();
        const unsigned = jwt.sign({ sub: '1', iat: clock.seconds(), iss: config.issuer, aud: config.audience, exp: clock.seconds() + 60 }, null, { algorithm: 'none' });

        const res = await request(app).get('/me').set('Authorization', `Bearer ${unsigned}`);

        expectInvalidToken(res);
      });
    });
  });
});

describe('2. Read the Authorization header', () => {
  describe('GET /me', () => {
    describe('when the token is valid', () => {
      it('accepts the scheme in any case ("bearer"), as RFC 7235 says', async () => {
        const { app, token } = setup();

        const res = await request(app).get('/me').set('Authorization', `bearer ${token()}`);

        expect(res.status).toBe(200);
      });
    });

    describe('when no Authorization header is sent', () => {
      it('answers 401 with a Bearer challenge', async () => {
        const { app } = setup();

        const res = await request(app).get('/me');

        expectProblem(res, 401, 'auth.unauthenticated');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
      });
    });

    describe('when the header is malformed or uses another scheme', () => {
      it.each([
        ['"Bearer" alone', () => 'Bearer'],
        ['two tokens', (t: string) => `Bearer ${t} ${t}`],
        ['the "Token" scheme', (t: string) => `Token ${t}`],
        ['the "Basic" scheme', (t: string) => `Basic ${t}`],
        ['no scheme at all', (t: string) => t],
      ])('answers 401 auth.token_invalid with a challenge for %s', async (_label, header) => {
        const { app, token } = setup();

        const res = await request(app).get('/me').set('Authorization', header(token()));

        expectInvalidToken(res);
      });
    });
  });
});
