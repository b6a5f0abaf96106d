import { describe, expect, it, jest } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { authenticate, type User, type VerifyToken } from '../src/authenticate';

const ada: User = { id: 'u-ada', roles: ['customer'] };

/**
 * Runs the middleware on a request carrying `authorization`, with jest.fn()
 * standing in for `next`: no server, no HTTP, just the contract of a middleware.
 */
async function authenticateRequest(authorization: string | undefined, verifyToken: VerifyToken) {
  const req = { get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined) } as unknown as Request;
  const res = { locals: {} } as unknown as Response;
  // Express types next() with overloads; the middleware only ever calls next() or next(error).
  const next = jest.fn<(error?: unknown) => void>();

  await authenticate(verifyToken)(req, res, next as NextFunction);

  return { next, user: res.locals.user as User | undefined };
}

const accepting = () => jest.fn<VerifyToken>().mockResolvedValue(ada);

describe('authenticate', () => {
  it('hands the token to the verifier and the verified user to the route, calling next() once with nothing', async () => {
    const verifyToken = accepting();

    const { next, user } = await authenticateRequest('Bearer t0k3n', verifyToken);

    expect(verifyToken).toHaveBeenCalledWith('t0k3n');
    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith();
    expect(user).toEqual(ada);
  });

  it.each(['bearer', 'BEARER'])('accepts the scheme written %s: schemes are case-insensitive', async (scheme) => {
    const { next } = await authenticateRequest(`${scheme} t0k3n`, accepting());

    expect(next).toHaveBeenCalledWith();
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic YWRhOnNlY3JldA=='],
    ['a scheme with no token', 'Bearer'],
    ['two tokens', 'Bearer one two'],
  ])('with %s, passes a 401 auth.token_missing with a challenge to next() once, without asking the verifier', async (_case, header) => {
    const verifyToken = accepting();

    const { next, user } = await authenticateRequest(header, verifyToken);

    expect(next).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledWith(
      expect.objectContaining({ status: 401, code: 'auth.token_missing', headers: { 'WWW-Authenticate': 'Bearer' } }),
    );
    expect(verifyToken).not.toHaveBeenCalled();
    expect(user).toBeUndefined();
  });

  it("turns a token the verifier rejects into a 401 auth.token_invalid, without the verifier's message", async () => {
    const verifyToken = jest.fn<VerifyToken>().mockRejectedValue(new Error('jwt expired at 2026-03-02T09:00:00Z'));

    const { next, user } = await authenticateRequest('Bearer stale', verifyToken);

    expect(next).toHaveBeenCalledTimes(1);
    const error = next.mock.calls[0]![0] as Error & { status: number; code: string };
    expect(error).toMatchObject({ status: 401, code: 'auth.token_invalid' });
    expect(error.message).not.toContain('jwt expired');
    expect(user).toBeUndefined();
  });
});
