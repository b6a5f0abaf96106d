import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from './errors';
import { toAppError } from './map-error';

/** Where the app reports failures; `console` fits, specs pass a recorder. */
export type Logger = Pick<Console, 'error'>;

export interface ErrorHandlerOptions {
  env: 'production' | 'development';
  logger: Logger;
}

/** Problem types are URIs (RFC 9457 §3.1.1); one per code, documented there. */
const problemTypeBase = 'https://example.com/problems/';

/** After every route: nothing matched. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError('route', `${req.method} ${req.path}`));
};

/** The one place where an error becomes a response. */
export function errorHandler({ env, logger }: ErrorHandlerOptions): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    // Too late for a response of our own: Express's default handler aborts the connection.
    if (res.headersSent) return next(err);

    // One type to reason about, whatever the library that threw.
    const appError = toAppError(err);
    const requestId = String(res.locals.requestId ?? '');
    // A programmer error's status and message describe our bug, not the
    // client's request: it is a 500, whatever status it carries.
    const status = appError.isOperational ? appError.status : 500;
    const code = appError.isOperational ? appError.code : 'internal';
    const original = err instanceof Error ? err : appError;

    // Log what we will not tell the client, with the id the client can quote.
    if (status >= 500) logger.error({ requestId, code, err: original });

    const showInternals = env === 'development';
    const problem = {
      type: `${problemTypeBase}${code}`,
      title: STATUS_CODES[status] ?? 'Error',
      status,
      // An operational message was written for clients. A bug's message may name
      // hosts, queries, credentials: production gets a generic sentence.
      detail: appError.isOperational ? appError.message : showInternals ? original.message : 'An unexpected error occurred.',
      instance: req.originalUrl,
      code,
      requestId,
      ...(appError.isOperational ? appError.details : {}),
      ...(showInternals ? { stack: original.stack } : {}),
    };
    // res.json() keeps a Content-Type already set; RFC 9457 asks for this one.
    res.status(status).type('application/problem+json').json(problem);
  };
}
