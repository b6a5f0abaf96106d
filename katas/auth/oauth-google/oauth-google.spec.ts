/*
 * Wrong solutions these specs catch:
 * - no `state`, or one that is not compared on the way back: an attacker's
 *   callback URL logs the victim into the attacker's account (login CSRF);
 * - no PKCE, or `plain` instead of S256; the same state/nonce for every login;
 * - jwt.decode() on the ID token (the tutorial shortcut): a forged signature, an
 *   unsigned token, another issuer or audience, an expired token or another
 *   login's nonce all pass;
 * - openid-client without enableNonRepudiationChecks: the library then trusts the
 *   token endpoint's TLS instead of the signature (caught by the forged signature);
 * - a pending login kept after use: a replayed answer is tried again (it must be a
 *   4xx, never a 500 from an unexpected token response);
 * - accounts matched by e-mail only: the stable `sub` is never stored, and an
 *   unverified address at the provider takes over the local account with that e-mail;
 * - a library error surfacing as 500 instead of 401 oauth.login_failed, the
 *   provider's error=access_denied included;
 * - the pending login deleted only after a successful exchange: a second answer
 *   to the same login is tried after the first one failed;
 * - no new session id after the login (session fixation);
 * - linking that overwrites another googleSub (a recycled address takes over the
 *   account), or an account created from an unverified address (pre-account hijacking).
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { expectProblem, type TamperKind } from '../../../harness';
import { accounts, useGoogleLoginApp } from './fixtures';
import { User } from './src/user.model';

const world = useGoogleLoginApp();

const sidOf = (res: request.Response): string | undefined =>
  ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((line) => line.startsWith('sid='))?.split(';')[0];

/** The browser's first step: GET /auth/google, keeping the app's session cookie. */
async function startLogin() {
  const res = await request(world.url).get('/auth/google');
  expect(res.status).toBe(302);
  return { authorizationUrl: String(res.headers.location), cookie: sidOf(res) ?? '' };
}

/** The browser's last step: the provider sends it back to the app's callback. */
function deliver(callbackUrl: string, cookie: string) {
  const { pathname, search } = new URL(callbackUrl);
  return request(world.url).get(`${pathname}${search}`).set('Cookie', cookie);
}

async function signInAs(login: string) {
  const started = await startLogin();
  const callbackUrl = await world.google.signIn(started.authorizationUrl, { login });
  const res = await deliver(callbackUrl, started.cookie);
  return { res, callbackUrl, started, cookie: sidOf(res) ?? started.cookie };
}

const me = (cookie: string) => request(world.url).get('/me').set('Cookie', cookie);

describe('1. Redirect with state, nonce and PKCE', () => {
  describe('GET /auth/google', () => {
    it('redirects to the provider with the code flow, PKCE (S256), a state and a nonce, fresh for every login', async () => {
      const first = new URL((await startLogin()).authorizationUrl);
      const second = new URL((await startLogin()).authorizationUrl);

      expect(`${first.origin}${first.pathname}`).toBe(`${world.google.issuer}/auth`);
      expect(Object.fromEntries(first.searchParams)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', redirect_uri: `${world.url}/auth/google/callback` });
      expect(first.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
      for (const parameter of ['state', 'nonce', 'code_challenge']) {
        expect(first.searchParams.get(parameter)?.length ?? 0).toBeGreaterThanOrEqual(22);
        expect(first.searchParams.get(parameter)).not.toBe(second.searchParams.get(parameter));
      }
    });
  });
});

describe('2. Check the state on the way back, once', () => {
  describe('GET /auth/google/callback', () => {
    describe('when the state does not match the login this browser started', () => {
      it('answers 400 oauth.state_mismatch and logs no one in', async () => {
        const { authorizationUrl, cookie } = await startLogin();
        const callback = new URL(await world.google.signIn(authorizationUrl, { login: accounts.grace.sub }));
        callback.searchParams.set('state', 'a-state-this-browser-never-saw');

        const res = await deliver(callback.href, cookie);

        expectProblem(res, 400, 'oauth.state_mismatch');
        expect(await User.countDocuments()).toBe(0);
      });
    });

    describe('when the browser started no login at all (login CSRF)', () => {
      it('refuses an attacker\'s callback URL with 400 oauth.state_mismatch', async () => {
        const attacker = await startLogin();
        const attackersCallback = await world.google.signIn(attacker.authorizationUrl, { login: accounts.grace.sub });

        const res = await deliver(attackersCallback, '');

        expectProblem(res, 400, 'oauth.state_mismatch');
        expect(sidOf(res)).toBeUndefined();
      });
    });

    describe('when a second answer arrives for a login whose first answer was refused', () => {
      it('refuses it with 400 oauth.state_mismatch: a pending login is used once, success or not', async () => {
        const { authorizationUrl, cookie } = await startLogin();
        const forged = new URL(await world.google.signIn(authorizationUrl, { login: accounts.grace.sub }));
        forged.searchParams.set('state', 'a-state-this-browser-never-saw');
        const refused = await deliver(forged.href, cookie);
        const second = await world.google.signIn(authorizationUrl, { login: accounts.grace.sub });

        const res = await deliver(second, cookie);

        expectProblem(refused, 400, 'oauth.state_mismatch');
        expectProblem(res, 400, 'oauth.state_mismatch');
        expect(await User.countDocuments()).toBe(0);
      });
    });

    describe('when the same answer is delivered twice', () => {
      it('refuses the replay with a 4xx (never a 500), and the first login stands', async () => {
        const { res, callbackUrl, started, cookie } = await signInAs(accounts.grace.sub);

        const replayWithOldSession = await deliver(callbackUrl, started.cookie);
        const replayWithNewSession = await deliver(callbackUrl, cookie);

        expect(res.status).toBe(302);
        for (const replay of [replayWithOldSession, replayWithNewSession]) {
          expect(replay.status).toBeGreaterThanOrEqual(400);
          expect(replay.status).toBeLessThan(500);
        }
        expect((await me(cookie)).status).toBe(200);
      });
    });
  });
});

describe('3. Validate the ID token with openid-client', () => {
  describe('GET /auth/google/callback', () => {
    describe('when the ID token is not what the provider signed for this login', () => {
      it.each<[string, TamperKind]>([
        ['its signature does not match its content', 'signature'],
        ['it is unsigned (alg "none")', 'unsigned'],
        ['another issuer signed it', 'issuer'],
        ['it was issued to another client (aud)', 'audience'],
        ['it has expired', 'expired'],
        ['its nonce belongs to another login', 'nonce'],
      ])('answers 401 oauth.login_failed when %s, and creates no account', async (_label, kind) => {
        const { authorizationUrl, cookie } = await startLogin();
        const callback = await world.google.signIn(authorizationUrl, { login: accounts.grace.sub });
        await world.google.tamperNextIdToken(kind);

        const res = await deliver(callback, cookie);

        expectProblem(res, 401, 'oauth.login_failed');
        expect(await User.countDocuments()).toBe(0);
      });
    });

    describe('when the person declines at the provider (error=access_denied)', () => {
      it('answers 401 oauth.login_failed, not 500, and creates no account', async () => {
        const { authorizationUrl, cookie } = await startLogin();
        const sent = new URL(authorizationUrl).searchParams;
        const callback = new URL(String(sent.get('redirect_uri')));
        callback.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user declined', state: String(sent.get('state')), iss: world.google.issuer }).toString();

        const res = await deliver(callback.href, cookie);

        expectProblem(res, 401, 'oauth.login_failed');
        expect(await User.countDocuments()).toBe(0);
      });
    });
  });
});

describe('4. Accounts keyed by sub, linked only by a verified e-mail', () => {
  describe('GET /auth/google/callback', () => {
    describe('when someone new signs in', () => {
      it('creates an account keyed by the ID token\'s sub and logs them in, under a new session id', async () => {
        const { res, cookie, started } = await signInAs(accounts.grace.sub);

        const profile = await me(cookie);
        const before = await me(started.cookie);

        expect([res.status, res.headers.location]).toEqual([302, '/me']);
        expect(cookie).not.toBe(started.cookie);
        expectProblem(before, 401, 'auth.unauthenticated');
        expect(profile.status).toBe(200);
        expect(profile.body).toMatchObject({ email: accounts.grace.email, name: accounts.grace.name, googleSub: accounts.grace.sub });
        expect(await User.countDocuments()).toBe(1);
      });
    });

    describe('when a verified e-mail matches an existing account', () => {
      it('links that account (stores the sub) instead of creating a second one', async () => {
        const existing = await User.create({ email: accounts.ada.email, name: 'Ada', passwordHash: 'from the passwords kata' });

        const { cookie } = await signInAs(accounts.ada.sub);
        const profile = await me(cookie);

        expect(profile.body).toMatchObject({ id: String(existing._id), googleSub: accounts.ada.sub });
        expect(await User.countDocuments()).toBe(1);
      });
    });

    describe('when someone new signs in with an e-mail the provider has not verified', () => {
      it('answers 403 oauth.email_unverified and creates no account (it would wait for the address\'s real owner)', async () => {
        const { res, cookie } = await signInAs(accounts.eve.sub);

        expectProblem(res, 403, 'oauth.email_unverified');
        expect(await User.countDocuments()).toBe(0);
        expectProblem(await me(cookie), 401, 'auth.unauthenticated');
      });
    });

    describe('when the matching account is already linked to another Google account (a recycled address)', () => {
      it('answers 409 oauth.account_linked, keeps the link it had, and logs no one in', async () => {
        // Written to the collection directly: the starter's model has no googleSub yet.
        const { insertedId } = await User.collection.insertOne({ email: accounts.ada.email, name: 'Ada', googleSub: 'the-previous-owners-sub' });

        const { res, cookie } = await signInAs(accounts.ada.sub);

        expectProblem(res, 409, 'oauth.account_linked');
        expect((await User.collection.findOne({ _id: insertedId }))?.googleSub).toBe('the-previous-owners-sub');
        expect(await User.countDocuments()).toBe(1);
        expectProblem(await me(cookie), 401, 'auth.unauthenticated');
      });
    });

    describe('when an unverified e-mail matches an existing account', () => {
      it('answers 409 oauth.email_unverified, links nothing and logs no one in', async () => {
        const victim = await User.create({ email: accounts.mallory.email, name: 'Victim', passwordHash: 'from the passwords kata' });

        const { res, cookie } = await signInAs(accounts.mallory.sub);
        const profile = await me(cookie);

        expectProblem(res, 409, 'oauth.email_unverified');
        expect((await User.findById(victim._id))?.toJSON()).not.toHaveProperty('googleSub', accounts.mallory.sub);
        expectProblem(profile, 401, 'auth.unauthenticated');
      });
    });
  });
});
