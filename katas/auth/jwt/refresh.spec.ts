/*
 * Wrong solutions these specs catch:
 * - storing the refresh token as it is: a database leak is a list of live sessions;
 * - no TTL index on expiresAt: the collection grows with every refresh, forever;
 * - claiming the token with find-then-save: parallel refreshes with one token all
 *   find it unused and all get a new pair;
 * - no rotation (the same refresh token forever), or rotation without reuse
 *   detection: a replayed old token must revoke the whole family, the new token too;
 * - refresh tokens without a server-side expiry (a cookie's Max-Age is advice to
 *   the browser, not a check);
 * - logout that only clears the cookie: a copied token keeps working;
 * - clearCookie with other attributes than the cookie was set with (the browser
 *   keeps the original);
 * - a refresh cookie without Secure or SameSite, or scoped to "/" (sent with every
 *   API call, where proxies and logs see it).
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useMongo, expectProblem, startServer } from '../../../harness';
import { ada, config, manualClock, setCookie, users } from './fixtures';
import { createApp } from './src/app';
import { RefreshToken } from './src/refresh-token.model';

const mongo = useMongo();

// Years ahead of the wall clock: MongoDB's TTL monitor reads the real clock, and
// must not delete a refresh token (expiresAt = the spec's now + 7 days) mid-spec.
const future = Date.parse('2041-06-01T12:00:00Z');

async function loggedIn() {
  const clock = manualClock(future);
  const app = createApp({ config, clock, users: users(), log: () => {} });
  const login = await request(app).post('/auth/login').send(ada).expect(200);
  const cookie = setCookie(login, 'refresh_token');
  if (!cookie) throw new Error(`POST /auth/login set no refresh_token cookie; Set-Cookie: ${JSON.stringify(login.headers['set-cookie'])}`);
  // The specs send cookies by hand: a cookie jar would (rightly) keep a Secure cookie off plain HTTP.
  const refresh = (token: string) => request(app).post('/auth/token').set('Cookie', `refresh_token=${token}`);
  return { app, clock, refreshToken: cookie.value, refresh };
}

describe('3. A refresh token in a safe cookie, stored hashed', () => {
  describe('POST /auth/login', () => {
    it('sets the refresh token in an HttpOnly, Secure, SameSite cookie scoped to /auth/token', async () => {
      const app = createApp({ config, clock: manualClock(future), users: users(), log: () => {} });

      const res = await request(app).post('/auth/login').send(ada);

      const cookie = setCookie(res, 'refresh_token');
      expect(cookie?.attributes).toMatchObject({ httponly: true, secure: true, path: '/auth/token' });
      expect(String(cookie?.attributes.samesite).toLowerCase()).toMatch(/^(strict|lax)$/);
    });

    it('stores the refresh token hashed: the database never holds the token itself', async () => {
      const { refreshToken } = await loggedIn();

      const stored = await mongo.connection.collection('refreshtokens').find({}).toArray();

      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(refreshToken);
    });

    it('lets MongoDB delete each token once it has expired: a TTL index on expiresAt', async () => {
      await RefreshToken.init();

      const indexes = await mongo.connection.collection('refreshtokens').indexes();

      expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    });
  });
});

describe('4. Rotate, and detect reuse', () => {
  describe('POST /auth/token (refresh)', () => {
    describe('when the refresh token is fresh', () => {
      it('answers a new access token and rotates the refresh token', async () => {
        const { refreshToken, refresh } = await loggedIn();

        const res = await refresh(refreshToken);

        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
        const rotated = setCookie(res, 'refresh_token');
        expect(rotated?.value).toEqual(expect.any(String));
        expect(rotated?.value).not.toBe(refreshToken);
        expect((await refresh(String(rotated?.value))).status).toBe(200);
      });
    });

    describe('when a refresh token that was already used is replayed', () => {
      it('answers 401 auth.refresh_token_reused and revokes the whole family, the newest token included', async () => {
        const { refreshToken, refresh } = await loggedIn();
        const first = await refresh(refreshToken);
        const newest = String(setCookie(first, 'refresh_token')?.value);

        const replay = await refresh(refreshToken);
        const afterwards = await refresh(newest);

        expectProblem(replay, 401, 'auth.refresh_token_reused');
        expectProblem(afterwards, 401, 'auth.refresh_token_invalid');
      });
    });

    describe('when one refresh token is presented 50 times at once', () => {
      it('lets exactly one refresh through and answers the other 49 auth.refresh_token_reused', async () => {
        const { app, refreshToken } = await loggedIn();
        // Every request waits at the door until all 50 have arrived, then they enter the app
        // together: the race that a claim made of a read and a later write loses is then
        // certain, not left to how the requests happen to be scheduled.
        let arrived = 0;
        let openTheDoor!: () => void;
        const allArrived = new Promise<void>((resolve) => (openTheDoor = resolve));
        const { url } = await startServer((req, res) => {
          if (++arrived === 50) openTheDoor();
          void allArrived.then(() => app(req, res));
        });

        const refreshes = Array.from({ length: 50 }, async () => {
          const res = await fetch(`${url}/auth/token`, { method: 'POST', headers: { cookie: `refresh_token=${refreshToken}` } });
          return { status: res.status, code: ((await res.json()) as { code?: string }).code };
        });
        const results = await Promise.all(refreshes);

        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        expect(results.filter((r) => r.code === 'auth.refresh_token_reused')).toHaveLength(49);
      });
    });

    describe('when the refresh token has expired, is unknown, or is missing', () => {
      it('answers 401 auth.refresh_token_invalid, whatever the cookie\'s Max-Age said', async () => {
        const { app, clock, refreshToken, refresh } = await loggedIn();
        clock.advance((config.refreshTtlSeconds + 60) * 1000);

        const expired = await refresh(refreshToken);
        const unknown = await refresh('made-up');
        const missing = await request(app).post('/auth/token');

        expectProblem(expired, 401, 'auth.refresh_token_invalid');
        expectProblem(unknown, 401, 'auth.refresh_token_invalid');
        expectProblem(missing, 401, 'auth.refresh_token_invalid');
      });
    });
  });
});

describe('5. Log out for real', () => {
  describe('DELETE /auth/token (logout)', () => {
    it('revokes the refresh token server-side and clears the cookie on its path', async () => {
      const { app, refreshToken, refresh } = await loggedIn();

      const res = await request(app).delete('/auth/token').set('Cookie', `refresh_token=${refreshToken}`);
      const afterwards = await refresh(refreshToken);

      expect(res.status).toBe(204);
      const cleared = setCookie(res, 'refresh_token');
      expect(cleared?.value).toBe('');
      expect(cleared?.attributes.path).toBe('/auth/token');
      expectProblem(afterwards, 401, 'auth.refresh_token_invalid');
    });
  });
});
