import { beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import request from 'supertest';
import { defineFactory, startServer, useMongo, expectProblemDetails, expectStillServing } from '../../../harness';
import { createApp, tokenAudience, tokenIssuer, type AppOptions, type Mailer } from './src/app';
import { AppError } from './src/errors';
import { User } from './src/user.model';

useMongo();

beforeAll(async () => {
  // The duplicate-key specs need the unique indexes to exist before the first insert.
  await User.init();
});

const jwtSecret = 'global-handler-spec-secret';

/** A token as the users API's issuer signs one, with `overrides` for the part under test. */
function tokenFor(claims: jwt.JwtPayload, overrides: jwt.SignOptions & { secret?: string } = {}): string {
  const { secret = jwtSecret, ...options } = overrides;
  return jwt.sign(claims, secret, { algorithm: 'HS256', issuer: tokenIssuer, audience: tokenAudience, ...options });
}

const buildUserBody = defineFactory((f, n) => ({
  email: `user${n}@example.com`,
  handle: `${f.internet.username().replace(/\W/g, '')}${n}`,
  name: f.person.fullName(),
  age: f.number.int({ min: 18, max: 90 }),
}));

/** Records what the app logs, so tests can assert on it and the output stays quiet. */
function recordingLogger() {
  const entries: unknown[][] = [];
  return { entries, error: (...args: unknown[]) => void entries.push(args) };
}

/** Every value a logged call carries, one level into plain objects (`{ err, requestId }`). */
function loggedValues(entries: unknown[][]): unknown[] {
  return entries.flat().flatMap((value) => (value !== null && typeof value === 'object' && !(value instanceof Error) ? [value, ...Object.values(value)] : [value]));
}

const failingMailer = (error: unknown): Mailer => ({ welcome: () => Promise.reject(error) });

async function startUsersApi(options: AppOptions = {}) {
  const logger = recordingLogger();
  const { url } = await startServer(createApp({ env: 'production', jwtSecret, logger, ...options }));
  return { url, logger };
}

describe('1. Answer problem+json', () => {
  describe('every error answers RFC 9457 application/problem+json', () => {
    describe('when no route matches', () => {
      it('answers 404 resource.not_found with the request path as `instance`', async () => {
        const { url } = await startUsersApi();

        const res = await request(url).get('/nowhere?page=2');

        const problem = expectProblemDetails(res, 404, 'resource.not_found');
        expect(problem.instance).toBe('/nowhere?page=2');
      });
    });
  });

  describe('GET /users/:id', () => {
    describe('when no user has that id', () => {
      it('answers 404 resource.not_found', async () => {
        const { url } = await startUsersApi();

        const res = await request(url).get(`/users/${new mongoose.Types.ObjectId().toHexString()}`);

        expectProblemDetails(res, 404, 'resource.not_found');
      });
    });
  });
});

describe('2. A request id in every answer', () => {
  describe('request ids', () => {
    describe('when the client sends a safe X-Request-Id', () => {
      it('uses it: the X-Request-Id header and the problem carry the same id', async () => {
        const { url } = await startUsersApi();

        const res = await request(url).get('/nowhere').set('x-request-id', 'gateway-7f3a.42');

        const problem = expectProblemDetails(res, 404, 'resource.not_found');
        expect(res.headers['x-request-id']).toBe('gateway-7f3a.42');
        expect(problem.requestId).toBe('gateway-7f3a.42');
      });
    });

    describe('when the client sends none, or one unsafe to echo', () => {
      it.each([
        ['none', undefined],
        ['one of 500 characters', 'x'.repeat(500)],
        ['one with markup', '<script>alert(1)</script>'],
      ])('when it is %s, then the app makes one and uses it in the header and the problem', async (_label, incoming) => {
        const { url } = await startUsersApi();
        const req = request(url).get('/nowhere');

        const res = await (incoming === undefined ? req : req.set('x-request-id', incoming));

        const problem = expectProblemDetails(res, 404, 'resource.not_found');
        expect(problem.requestId).toEqual(expect.stringMatching(/\S/));
        expect(problem.requestId).not.toBe(incoming);
        expect(res.headers['x-request-id']).toBe(problem.requestId);
      });
    });
  });
});

describe('3. Translate library errors', () => {
  describe('POST /users (body-parser errors)', () => {
    describe('when the JSON body is malformed', () => {
      it('answers 400 entity.parse.failed, with a request id, and keeps serving', async () => {
        const { url } = await startUsersApi();

        const res = await request(url).post('/users').set('content-type', 'application/json').send('{"email": ');

        const problem = expectProblemDetails(res, 400, 'entity.parse.failed');
        expect(problem.requestId).toEqual(expect.any(String));
        expect(problem.requestId).toBe(res.headers['x-request-id']);
        await expectStillServing(url);
      });
    });
  });

  describe('POST /users (mongoose and MongoDB errors)', () => {
    describe('when fields fail the schema (mongoose ValidationError)', () => {
      it('answers 400 validation.failed with one entry per invalid field', async () => {
        const { url } = await startUsersApi();
        const { name: _missing, ...withoutName } = buildUserBody({ age: -3 });

        const res = await request(url).post('/users').send(withoutName);

        const problem = expectProblemDetails(res, 400, 'validation.failed');
        const errors = problem.errors as Array<{ field: string; message: unknown }>;
        expect(errors.map((error) => error.field).sort()).toEqual(['age', 'name']);
        for (const error of errors) expect(error.message).toEqual(expect.stringMatching(/\S/));
        expect(problem).not.toHaveProperty('stack');
      });
    });

    describe('when the email is already taken (a unique index, error 11000)', () => {
      it('answers 409 resource.conflict naming the field: email', async () => {
        const { url } = await startUsersApi();
        await User.create(buildUserBody({ email: 'ada@example.com' }));

        const res = await request(url).post('/users').send(buildUserBody({ email: 'ada@example.com' }));

        const problem = expectProblemDetails(res, 409, 'resource.conflict');
        expect(problem.field).toBe('email');
      });
    });

    describe('when the handle is already taken (its index is named users_handle_unique)', () => {
      it('answers 409 resource.conflict naming the field, not the index: handle', async () => {
        const { url } = await startUsersApi();
        await User.create(buildUserBody({ handle: 'ada' }));

        const res = await request(url).post('/users').send(buildUserBody({ handle: 'ada' }));

        const problem = expectProblemDetails(res, 409, 'resource.conflict');
        expect(problem.field).toBe('handle');
      });
    });
  });

  describe('GET /users/:id', () => {
    describe('when the id is not an ObjectId (mongoose CastError)', () => {
      it('answers 400 validation.invalid_value and keeps serving', async () => {
        const { url } = await startUsersApi();

        const res = await request(url).get('/users/not-an-object-id');

        const problem = expectProblemDetails(res, 400, 'validation.invalid_value');
        expect(problem.field).toBe('_id');
        await expectStillServing(url);
      });
    });
  });

  describe('GET /me (jsonwebtoken errors)', () => {
    describe('when the token has expired (TokenExpiredError)', () => {
      it('answers 401 auth.token_expired', async () => {
        const { url } = await startUsersApi();
        const expired = tokenFor({ sub: 'u1', exp: Math.floor(Date.now() / 1000) - 60 });

        const res = await request(url).get('/me').set('authorization', `Bearer ${expired}`);

        expectProblemDetails(res, 401, 'auth.token_expired');
      });
    });

    describe('when the token is not valid (JsonWebTokenError)', () => {
      it.each([
        ['signed with another secret', tokenFor({ sub: 'u1' }, { secret: 'someone-elses-secret' })],
        ['signed with another algorithm (HS384) and the right secret', tokenFor({ sub: 'u1' }, { algorithm: 'HS384' })],
        ['issued by another issuer', tokenFor({ sub: 'u1' }, { issuer: 'https://evil.example' })],
        ['meant for another API (aud)', tokenFor({ sub: 'u1' }, { audience: 'billing-api' })],
        ['malformed', 'not-a.jwt'],
      ])('when it is %s, then the app answers 401 auth.token_invalid', async (_label, token) => {
        const { url } = await startUsersApi();

        const res = await request(url).get('/me').set('authorization', `Bearer ${token}`);

        expectProblemDetails(res, 401, 'auth.token_invalid');
      });
    });
  });
});

describe('4. Keep internals in', () => {
  describe('errors that are our fault (5xx)', () => {
    const secret = 'SMTP 10.0.0.5:25 refused AUTH for ops@example.com';

    describe('in production, when a dependency fails unexpectedly', () => {
      it('answers 500 internal without the message or a stack, and logs the error with the request id', async () => {
        const failure = new Error(secret);
        const { url, logger } = await startUsersApi({ env: 'production', mailer: failingMailer(failure) });

        const res = await request(url).post('/users').send(buildUserBody());

        const problem = expectProblemDetails(res, 500, 'internal');
        expect(problem).not.toHaveProperty('stack');
        expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
        const logged = loggedValues(logger.entries);
        expect(logged).toContain(failure);
        expect(logged).toContain(problem.requestId);
        await expectStillServing(url);
      });
    });

    describe('in production, when a bug throws an AppError marked non-operational', () => {
      it('answers 500 internal, whatever status the error carries, and hides its message', async () => {
        const bug = new AppError(409, 'user.state_corrupt', `invariant broken: ${secret}`, { isOperational: false });
        const { url } = await startUsersApi({ env: 'production', mailer: failingMailer(bug) });

        const res = await request(url).post('/users').send(buildUserBody());

        const problem = expectProblemDetails(res, 500, 'internal');
        expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
      });
    });

    describe('in production, when an operational AppError has a 5xx status', () => {
      it('answers its status and code, with its message as `detail` (it was written for clients)', async () => {
        const outage = new AppError(503, 'mail.unavailable', 'Mail is down; your account exists, the welcome mail will follow.');
        const { url } = await startUsersApi({ env: 'production', mailer: failingMailer(outage) });

        const res = await request(url).post('/users').send(buildUserBody());

        const problem = expectProblemDetails(res, 503, 'mail.unavailable');
        expect(problem.detail).toBe(outage.message);
        expect(problem).not.toHaveProperty('stack');
      });
    });

    describe('in development, when a dependency fails unexpectedly', () => {
      it('answers 500 internal and shows the internal message and the stack, to help the developer', async () => {
        const { url } = await startUsersApi({ env: 'development', mailer: failingMailer(new Error(secret)) });

        const res = await request(url).post('/users').send(buildUserBody());

        const problem = expectProblemDetails(res, 500, 'internal');
        expect(problem.stack).toEqual(expect.stringContaining(secret));
        expect(problem.detail).toEqual(expect.stringContaining('10.0.0.5'));
      });
    });
  });
});
