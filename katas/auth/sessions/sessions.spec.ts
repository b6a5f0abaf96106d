import { createHmac } from 'node:crypto';
import http from 'node:http';
import { beforeAll, describe, expect, it } from '@jest/globals';
import bcrypt from 'bcrypt';
import session from 'express-session';
import request from 'supertest';
import { startServer, useMongo, expectProblem } from '../../../harness';
import { createApp } from './src/app';
import type { SessionConfig } from './src/config';
import { User } from './src/user.model';

useMongo();

beforeAll(async () => {
  await User.init();
});

const MINUTE = 60 * 1000;
const config: SessionConfig = {
  secret: 'sessions-kata-spec-secret',
  trustProxy: 1,
  idleTimeoutMs: 30 * MINUTE,
  absoluteTimeoutMs: 8 * 60 * MINUTE,
  allowedOrigins: ['https://notes.kata.test'],
};
const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };

function manualClock(start = Date.parse('2021-06-01T09:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

async function startApp() {
  const store = new session.MemoryStore();
  const clock = manualClock();
  const { url } = await startServer(createApp({ config, clock, store, log: () => {} }));
  const user = await User.create({ email: ada.email, passwordHash: await bcrypt.hash(ada.password, 4) });
  return { url, store, clock, userId: String(user._id) };
}

/** The sid cookie express-session would send for `sid`, signed with the app's secret. */
function cookieFor(sid: string): string {
  const signature = createHmac('sha256', config.secret).update(sid).digest('base64').replace(/=+$/, '');
  return `sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

/** The Set-Cookie line for the session cookie, if any. */
function sessionSetCookie(res: request.Response): string | undefined {
  const lines = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return lines.find((line) => line.startsWith('sid='));
}

/** The session id inside the Set-Cookie line (the part before the signature). */
function sidOf(setCookie: string | undefined): string | undefined {
  const value = decodeURIComponent(setCookie?.split(';')[0]?.slice('sid='.length) ?? '');
  return value.startsWith('s:') ? value.slice(2, value.lastIndexOf('.')) : undefined;
}

function sessionsIn(store: session.MemoryStore): Promise<Record<string, session.SessionData>> {
  return new Promise((resolve, reject) => {
    store.all((err, sessions) => (err ? reject(err) : resolve((sessions ?? {}) as Record<string, session.SessionData>)));
  });
}

/** The status of a GET whose request-target is `target` as is (not a path starting with "/"). */
function statusOfRawTarget(url: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'GET', path: target, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function logIn(url: string, headers: Record<string, string> = {}) {
  const res = await request(url).post('/login').set(headers).send(ada);
  const setCookie = sessionSetCookie(res);
  return { res, setCookie, cookie: setCookie?.split(';')[0] ?? '' };
}

describe('1. Passport sessions: a new id at login, only the id stored', () => {
  describe('POST /login', () => {
    describe('when the browser already carries a session id (planted by an attacker)', () => {
      it('issues a new session id, and the planted one stays logged out', async () => {
        const { url, store } = await startApp();
        const planted = 'attacker-chosen-session-id';
        await new Promise<void>((resolve, reject) =>
          store.set(planted, { cookie: { originalMaxAge: null, path: '/', httpOnly: true } } as session.SessionData, (err) => (err ? reject(err) : resolve())),
        );

        const { res, setCookie } = await logIn(url, { Cookie: cookieFor(planted) });
        const attacker = await request(url).get('/me').set('Cookie', cookieFor(planted));

        expect(res.status).toBe(200);
        expect(sidOf(setCookie)).toEqual(expect.any(String));
        expect(sidOf(setCookie)).not.toBe(planted);
        expectProblem(attacker, 401, 'auth.unauthenticated');
      });
    });

    describe('when the credentials are not strings in the JSON body', () => {
      it.each([
        ['an e-mail that is a number', { email: 1, password: ada.password }],
        ['a password that is a boolean', { email: ada.email, password: true }],
      ])('answers 400 validation.failed for %s, and sets no session', async (_label, body) => {
        const { url } = await startApp();

        const res = await request(url).post('/login').send(body);

        expectProblem(res, 400, 'validation.failed');
        expect(sessionSetCookie(res)).toBeUndefined();
      });

      it('refuses credentials in the query string (they end up in logs and history)', async () => {
        const { url } = await startApp();
        const query = new URLSearchParams(ada).toString();

        const res = await request(url).post(`/login?${query}`).send({});

        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(sessionSetCookie(res)).toBeUndefined();
      });
    });

    describe('what goes into the session store', () => {
      it('is the user id and nothing else about the user, whatever case the e-mail was typed in', async () => {
        const { url, store, userId } = await startApp();

        const res = await request(url).post('/login').send({ email: ` ${ada.email.toUpperCase()} `, password: ada.password });

        expect(res.status).toBe(200);

        const sessions = Object.values(await sessionsIn(store));
        expect(sessions).toHaveLength(1);
        expect((sessions[0] as { passport?: unknown }).passport).toEqual({ user: userId });
        expect(JSON.stringify(sessions)).not.toContain(ada.email);
      });
    });
  });
});

describe('2. Re-read the user at every request', () => {
  describe('GET /me', () => {
    describe.each([
      ['deleted', (id: string) => User.deleteOne({ _id: id })],
      ['disabled', (id: string) => User.updateOne({ _id: id }, { $set: { disabled: true } })],
    ])('when the user was %s after logging in', (_label, change) => {
      it('answers 401 at the next request, not 200 and not 500, and a new login is refused', async () => {
        const { url, userId } = await startApp();
        const { cookie } = await logIn(url);
        await change(userId);

        const res = await request(url).get('/me').set('Cookie', cookie);
        const again = await logIn(url);

        expectProblem(res, 401, 'auth.unauthenticated');
        expectProblem(again.res, 401, 'auth.invalid_credentials');
        expect(again.setCookie).toBeUndefined();
      });
    });
  });
});

describe('3. Cookie flags behind a proxy', () => {
  describe('POST /login', () => {
    describe('the session cookie', () => {
      it('is HttpOnly and SameSite=Lax', async () => {
        const { url } = await startApp();

        const { setCookie } = await logIn(url);

        expect(setCookie).toMatch(/;\s*HttpOnly/i);
        expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
      });

      it('is Secure when a trusted proxy says the browser used HTTPS', async () => {
        const { url } = await startApp();

        const { setCookie } = await logIn(url, { 'X-Forwarded-Proto': 'https' });

        expect(setCookie).toMatch(/;\s*Secure/i);
      });
    });
  });
});

describe('4. Log out for real', () => {
  describe('POST /logout', () => {
    it('destroys the session in the store and clears the cookie', async () => {
      const { url, store } = await startApp();
      const { cookie } = await logIn(url);

      const res = await request(url).post('/logout').set('Cookie', cookie);
      const afterwards = await request(url).get('/me').set('Cookie', cookie);

      expect(res.status).toBe(204);
      expect(sessionSetCookie(res)).toMatch(/^sid=;.*Expires=Thu, 01 Jan 1970/i);
      expect(sessionSetCookie(res)).toMatch(/Path=\//);
      expect(await sessionsIn(store)).toEqual({});
      expectProblem(afterwards, 401, 'auth.unauthenticated');
    });
  });
});

describe('5. Refuse foreign origins', () => {
  describe('state-changing requests (CSRF defence)', () => {
    describe.each([
      ['from a foreign Origin', { Origin: 'https://evil.example' }],
      ['from an Origin that only starts like the app\'s', { Origin: 'https://notes.kata.test.evil.example' }],
      ['with neither Origin nor Referer, marked Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['from an opaque Origin ("null", e.g. a sandboxed iframe)', { Origin: 'null' }],
      ['with no Origin but a foreign Referer', { Referer: 'https://evil.example/page' }],
    ])('when a note is posted %s', (_label, headers) => {
      it('answers 403 csrf.foreign_origin and stores nothing, while the same request from the app\'s origin succeeds', async () => {
        const { url } = await startApp();
        const { cookie } = await logIn(url);

        const foreign = await request(url).post('/notes').set('Cookie', cookie).set(headers).send({ text: 'transfer everything' });
        const own = await request(url).post('/notes').set('Cookie', cookie).set('Origin', 'https://notes.kata.test').send({ text: 'hello' });

        expectProblem(foreign, 403, 'csrf.foreign_origin');
        expect(own.status).toBe(201);
        expect(own.body.id).toBe(1);
      });
    });

    describe('when a foreign page posts a login form (login CSRF)', () => {
      it('answers 403 csrf.foreign_origin and sets no session', async () => {
        const { url } = await startApp();

        const res = await request(url).post('/login').set('Origin', 'https://evil.example').send(ada);

        expectProblem(res, 403, 'csrf.foreign_origin');
        expect(sessionSetCookie(res)).toBeUndefined();
      });
    });
  });
});

describe('6. Idle and absolute timeouts', () => {
  describe('GET /me', () => {
    describe('when the session has been idle for longer than the idle timeout', () => {
      it('answers 401 session.expired and forgets the session', async () => {
        const { url, clock, store } = await startApp();
        const { cookie } = await logIn(url);
        clock.advance(31 * MINUTE);

        const res = await request(url).get('/me').set('Cookie', cookie);

        expectProblem(res, 401, 'session.expired');
        const sessions = Object.values(await sessionsIn(store));
        expect(sessions.filter((s) => (s as { passport?: { user?: string } }).passport?.user)).toHaveLength(0);
        // The timeout check must also hold for a request express-session gives no
        // session at all (a request-target of "*"): a 4xx, never a 500.
        const noSession = await statusOfRawTarget(url, '*');
        expect(noSession).toBeGreaterThanOrEqual(400);
        expect(noSession).toBeLessThan(500);
      });
    });

    describe('when the user keeps being active', () => {
      it('stays logged in across idle periods shorter than the timeout, and the idle clock restarts at each request', async () => {
        const { url, clock } = await startApp();
        const { cookie } = await logIn(url);
        const statuses: number[] = [];

        for (const pause of [20, 20, 20, 31]) {
          clock.advance(pause * MINUTE);
          statuses.push((await request(url).get('/me').set('Cookie', cookie)).status);
        }

        expect(statuses).toEqual([200, 200, 200, 401]);
      });

      it('is logged out after the absolute timeout all the same', async () => {
        const { url, clock } = await startApp();
        const { cookie } = await logIn(url);
        const answers: number[] = [];

        // A request every 25 minutes for 8 h 20 min: never idle, but too old at the end.
        for (let minutes = 25; minutes <= 500; minutes += 25) {
          clock.advance(25 * MINUTE);
          answers.push((await request(url).get('/me').set('Cookie', cookie)).status);
        }

        expect(answers.slice(0, 19)).toEqual(Array(19).fill(200));
        expect(answers[19]).toBe(401);
      });
    });
  });
});
