import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { AppError } from './app-error';
import { fromLibraryError } from './library-errors';

export interface ProblemOptions {
  /** 'production' hides stacks and 5xx messages; defaults to NODE_ENV. */
  env?: 'production' | 'development' | 'test';
  /** Where unexpected errors are reported; defaults to console.error. */
  log?: (entry: { requestId: string; status: number; code: string; error: unknown }) => void;
}

/** An RFC 9457 problem details body, plus our `code` and `requestId`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  stack?: string;
  /** Extension members from the error's details: `errors`, `field`, … */
  [extension: string]: unknown;
}

/** Problem types are URIs (RFC 9457 §3.1.1), one per code, as phase 1 answers them. */
const problemTypeBase = 'https://example.com/problems/';

/**
 * Gives every request an id (honouring a sane incoming `X-Request-Id`) and
 * echoes it, so a client can quote it and logs can be searched by it.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.set('X-Request-Id', id);
    next();
  };
}

/** The catch-all after every route: unmatched requests get a 404 problem, not Express's HTML. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new AppError(404, 'route.not_found', `No route for ${req.method} ${req.path}.`));
}

/**
 * The one global error handler. Every error becomes `application/problem+json`;
 * operational errors keep their status and message, everything else is a 500
 * whose internals stay in the log in production.
 */
export function problemHandler(options: ProblemOptions = {}): ErrorRequestHandler {
  const env = options.env ?? (process.env.NODE_ENV as ProblemOptions['env']) ?? 'development';
  const log = options.log ?? ((entry) => console.error(entry));

  return (error: unknown, req, res, next) => {
    // Headers gone: the only safe move is Express's default, which ends the socket.
    if (res.headersSent) return next(error);

    const known = toAppError(error);
    // A programmer error's status and message describe our bug, not the
    // client's request: it is a 500, whatever status it carries.
    const operational = known?.isOperational === true;
    const status = operational ? known.status : 500;
    const requestIdValue = String(res.locals.requestId ?? randomUUID());

    const code = operational ? known.code : 'internal';
    // Log what the client is not told (and every 5xx), with the id the client can quote.
    if (status >= 500) log({ requestId: requestIdValue, status, code, error });

    const body: Problem = {
      type: `${problemTypeBase}${code}`,
      title: STATUS_CODES[status] ?? 'Error',
      status,
      // An operational message was written for clients (for a library's error, by
      // fromLibraryError, never the library's own words); a bug's may name hosts or credentials.
      detail: operational ? known.message : env !== 'production' ? messageOf(error) : 'An unexpected error occurred.',
      instance: instanceOf(req),
      code,
      requestId: requestIdValue,
      ...(operational ? known.details : {}),
    };
    if (env !== 'production' && error instanceof Error && error.stack) body.stack = error.stack;

    for (const [name, value] of Object.entries(known?.headers ?? {})) res.set(name, value);
    res.status(status).type('application/problem+json').send(JSON.stringify(body));
  };
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  return fromLibraryError(error);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? 'Unknown error (a rejection without a value).' : String(error);
}

function instanceOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? req.originalUrl;
}
