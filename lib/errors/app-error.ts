/**
 * The error taxonomy phase 1 (`katas/errors/global-handler`) teaches, packaged
 * for the later phases: an operational error is an expected failure a client
 * caused or can act on (bad input, missing auth, a conflict) and is answered
 * with its own status and code; anything else is a bug, answered 500 without
 * internals.
 */
export interface AppErrorOptions {
  /** Per-field problems, e.g. `{ email: 'is already registered' }`. */
  details?: Record<string, string>;
  /** Extra response headers, e.g. `WWW-Authenticate` or `Retry-After`. */
  headers?: Record<string, string>;
  cause?: unknown;
  /** false for programmer errors wrapped on purpose; defaults to true. */
  isOperational?: boolean;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly isOperational: boolean;
  readonly details?: Record<string, string>;
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.isOperational = options.isOperational ?? true;
    this.details = options.details;
    this.headers = options.headers;
  }
}

/** 400 with per-field details: what a form can show next to each field. */
export const validationFailed = (details: Record<string, string>, message = 'The request is not valid.') =>
  new AppError(400, 'validation_failed', message, { details });

/** 401: the request carries no valid credentials (authentication). */
export const unauthenticated = (code = 'unauthenticated', message = 'Authentication is required.', headers?: Record<string, string>) =>
  new AppError(401, code, message, { headers });

/** 403: the caller is known but not allowed (authorization). */
export const forbidden = (code = 'forbidden', message = 'You are not allowed to do this.') =>
  new AppError(403, code, message);

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);

export const conflict = (code: string, message: string, details?: Record<string, string>) =>
  new AppError(409, code, message, { details });
