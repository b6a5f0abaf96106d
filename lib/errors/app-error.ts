/**
 * The error taxonomy phase 1 (`katas/errors/global-handler`) teaches, packaged
 * for the later phases: an operational error is an expected failure a client
 * caused or can act on (bad input, missing auth, a conflict) and is answered
 * with its own status and code; anything else is a bug, answered 500 without
 * internals.
 */
export interface AppErrorOptions {
  /**
   * Extension members of the problem body (RFC 9457 §3.2), as phase 1 teaches:
   * `{ errors: [{ field, message }] }` for validation, `{ field }` for a conflict.
   */
  details?: Record<string, unknown>;
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
  readonly details?: Record<string, unknown>;
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

/** One invalid field, as a form shows it next to the input. */
export interface FieldError {
  field: string;
  message: string;
}

/** 400 `validation.failed` with `errors: [{ field, message }]`, given `{ field: message }`. */
export const validationFailed = (fields: Record<string, string>, message = 'Some fields are invalid.') =>
  new AppError(400, 'validation.failed', message, {
    details: { errors: Object.entries(fields).map(([field, fieldMessage]): FieldError => ({ field, message: fieldMessage })) },
  });

/** 401: the request carries no valid credentials (authentication). */
export const unauthenticated = (code = 'auth.unauthenticated', message = 'Authentication is required.', headers?: Record<string, string>) =>
  new AppError(401, code, message, { headers });

/** 403: the caller is known but not allowed (authorization). */
export const forbidden = (code = 'auth.forbidden', message = 'You are not allowed to do this.') => new AppError(403, code, message);

/** 404 `resource.not_found`, naming what was looked for. */
export const notFound = (what: string) => new AppError(404, 'resource.not_found', `${what} was not found.`);

/** 409, naming the field whose value is taken. */
export const conflict = (code: string, message: string, field?: string) =>
  new AppError(409, code, message, field === undefined ? {} : { details: { field } });
