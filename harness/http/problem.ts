import type http from 'node:http';
import request from 'supertest';

/**
 * What the assertions below need from a response: a supertest `Response`, or a
 * plain `{ status, headers, body }` (for instance built from `fetch`).
 */
export interface ResponseLike {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>> | { get(name: string): string | null };
  readonly body: unknown;
  /** The raw body, when the client kept it (supertest does); used in failure messages. */
  readonly text?: string;
}

/** An error body: an object with at least a string `code`. */
export type ErrorBody = Record<string, unknown> & { code: string };

/** Thrown by the assertions below; the message alone says what went wrong. */
export class ProblemAssertionError extends Error {
  override name = 'ProblemAssertionError';
}

const jsonMediaType = /^application\/(?:problem\+)?json\s*(?:;|$)/i;
const problemMediaType = /^application\/problem\+json\s*(?:;|$)/i;

/**
 * Asserts that `res` is the JSON error a client can act on: the expected
 * status, a JSON content type (`application/json` or `application/problem+json`)
 * and `body.code === code`. Returns the body for further assertions.
 *
 * It never looks at wording: `code` is the contract, the message is for people.
 *
 * @example
 *   const res = await request(app).post('/notes').type('json').send('{"title":');
 *   const body = expectProblem(res, 400, 'entity.parse.failed');
 *   expect(body).not.toHaveProperty('stack');
 */
export function expectProblem(res: ResponseLike, status: number, code: string): ErrorBody {
  const contentType = headerOf(res, 'content-type');
  const body = res.body;
  const problems: string[] = [];
  // Each mismatch names what came back first, then what the spec wants.
  if (res.status !== status) problems.push(`status ${res.status} came back (want ${status})`);
  if (!jsonMediaType.test(contentType)) problems.push(`content-type "${contentType || '(none)'}" came back (want JSON)`);
  if (!isObject(body)) problems.push('the body is not a JSON object');
  else if (body.code !== code) problems.push(`code ${body.code === undefined ? '(none)' : JSON.stringify(body.code)} came back (want "${code}")`);
  if (problems.length > 0) {
    fail(
      `expected a ${status} JSON error with code "${code}": ${problems.join('; ')}\n` +
        `  response: ${res.status} ${contentType || '(no content-type)'} with body ${describeBody(res)}`,
      expectProblem,
    );
  }
  return body as ErrorBody;
}

/**
 * {@link expectProblem}, plus the RFC 9457 shape: content type
 * `application/problem+json`, a string `type` and `title`, `status` equal to the
 * HTTP status, and `detail`/`instance` strings when present.
 *
 * @example
 *   const problem = expectProblemDetails(res, 409, 'user.duplicate');
 *   expect(problem.field).toBe('email');
 */
export function expectProblemDetails(res: ResponseLike, status: number, code: string): ErrorBody {
  const body = expectProblem(res, status, code);
  const contentType = headerOf(res, 'content-type');
  const problems: string[] = [];
  if (!problemMediaType.test(contentType)) problems.push(`content-type "${contentType}" (want application/problem+json)`);
  if (typeof body.type !== 'string' || body.type === '') problems.push(`type ${JSON.stringify(body.type)} (want a URI string)`);
  if (typeof body.title !== 'string' || body.title === '') problems.push(`title ${JSON.stringify(body.title)} (want a string)`);
  if (body.status !== status) problems.push(`status member ${JSON.stringify(body.status)} (want ${status}, the HTTP status)`);
  for (const member of ['detail', 'instance'] as const) {
    if (member in body && typeof body[member] !== 'string') {
      problems.push(`${member} ${JSON.stringify(body[member])} (want a string when present)`);
    }
  }
  if (problems.length > 0) {
    fail(
      `expected an RFC 9457 problem for ${status} ${code}, got ${problems.join(', ')}\n` +
        `  response body: ${describeBody(res)}`,
      expectProblemDetails,
    );
  }
  return body;
}

/**
 * Proves the server survived whatever the test just did: a GET on `path`
 * (default `/health`) still answers 200. `target` is a base URL (for a server
 * started with `startServer`, which is the only way to prove *the same* server
 * is still up) or an app/request listener.
 *
 * @example
 *   const { url } = await startServer(createApp());
 *   await request(url).post('/notes').type('json').send('{oops');
 *   await expectStillServing(url);
 */
export async function expectStillServing(
  target: string | http.RequestListener | http.Server,
  path = '/health',
): Promise<void> {
  let res: request.Response;
  try {
    res = await request(target).get(path);
  } catch (error) {
    fail(
      `expected the server to still answer GET ${path} after the bad request, ` +
        `but the request failed: ${error instanceof Error ? error.message : String(error)}`,
      expectStillServing,
    );
  }
  if (res.status !== 200) {
    fail(
      `expected the server to still answer GET ${path} with 200 after the bad request, ` +
        `got ${res.status} with body ${describeBody(res)}`,
      expectStillServing,
    );
  }
}

function headerOf(res: ResponseLike, name: string): string {
  const headers = res.headers;
  const value =
    typeof (headers as { get?: unknown }).get === 'function'
      ? (headers as { get(name: string): string | null }).get(name)
      : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeBody(res: ResponseLike): string {
  const raw = isObject(res.body) && Object.keys(res.body).length > 0 ? JSON.stringify(res.body) : (res.text ?? JSON.stringify(res.body));
  const oneLine = (raw ?? '(empty)').replace(/\s+/g, ' ').trim() || '(empty)';
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function fail(message: string, caller: (...args: never[]) => unknown): never {
  const error = new ProblemAssertionError(message);
  // Point the stack at the spec line that called us, not at this file.
  Error.captureStackTrace(error, caller);
  throw error;
}
