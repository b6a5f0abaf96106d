import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from './errors';

/** Where the app reports failures; `console` fits, specs pass a recorder. */
export type Logger = Pick<Console, 'error'>;

export interface ErrorHandlerOptions {
  env: 'production' | 'development';
  logger: Logger;
}

/** After every route: nothing matched. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError('route', `${req.method} ${req.path}`));
};

/** The one place where an error becomes a response. */
export function errorHandler({ env, logger }: ErrorHandlerOptions): ErrorRequestHandler {
  return (err: { status?: number; message?: string; stack?: string }, _req, res, _next) => {
    // TODO: answer RFC 9457 problem+json (with `code` and the request id) for every error, mapped by toAppError; in production, hide a 5xx's message and every stack.
    logger.error(err);
    res.status(err.status ?? 500).json({ error: err.message, stack: err.stack, env });
  };
}
