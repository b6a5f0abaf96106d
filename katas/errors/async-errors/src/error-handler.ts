import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from './http-error';

/** Where the app reports failures; `console` fits, specs pass a recorder. */
export type Logger = Pick<Console, 'error'>;

/*
 * What you built in errors/next-and-middleware, ready to use: every error that
 * reaches these two middleware leaves as `{ code, message }` JSON. This kata is
 * about getting errors here at all.
 */

/** After every route: nothing matched. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'route.not_found', `No route for ${req.method} ${req.path}.`));
};

/** The error middleware: four parameters, a validated status, no internals in a 5xx. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, code, message } = describeError(err);
    if (status >= 500) logger.error(err);
    // res.json() keeps a Content-Type a route already set (text/csv, say): set ours.
    res.status(status).type('application/json').json({ code, message });
  };
}

function describeError(err: unknown): { status: number; code: string; message: string } {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as {
    status?: unknown;
    code?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const { status } = fields;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
    return { status: 500, code: 'internal', message: 'Internal Server Error' };
  }
  const code =
    typeof fields.code === 'string' ? fields.code : typeof fields.type === 'string' ? fields.type : status < 500 ? 'bad_request' : 'internal';
  const message = status < 500 && typeof fields.message === 'string' ? fields.message : 'Internal Server Error';
  return { status, code, message };
}
