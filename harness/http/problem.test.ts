import { describe, expect, it } from '@jest/globals';
import { expectProblem, ProblemAssertionError } from './problem';

const response = (status: number, body: unknown, contentType = 'application/problem+json; charset=utf-8') => ({
  status,
  body,
  headers: { 'content-type': contentType },
});

describe('expectProblem()', () => {
  it('returns the body when status, JSON and code all match', () => {
    const body = { code: 'auth.token_expired', title: 'Unauthorized' };

    expect(expectProblem(response(401, body), 401, 'auth.token_expired')).toBe(body);
  });

  it('says which status and code came back and which the spec wants, so the message cannot be read the wrong way round', () => {
    const attempt = () => expectProblem(response(400, { code: 'validation.failed' }), 401, 'auth.token_expired');

    expect(attempt).toThrow(ProblemAssertionError);
    expect(attempt).toThrow('expected a 401 JSON error with code "auth.token_expired": status 400 came back (want 401); code "validation.failed" came back (want "auth.token_expired")');
  });

  it('names a missing code and a non-JSON answer as what came back', () => {
    expect(() => expectProblem(response(401, {}, 'text/html'), 401, 'auth.token_expired')).toThrow(
      'content-type "text/html" came back (want JSON); code (none) came back (want "auth.token_expired")',
    );
  });
});
