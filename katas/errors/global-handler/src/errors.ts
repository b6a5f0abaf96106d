/**
 * The app's error taxonomy. An `AppError` knows how it should reach a client:
 * an HTTP `status`, a stable `code` clients can switch on, and whether it is
 * *operational* (an expected failure we wrote a message for: a missing user, an
 * expired token) or a *programmer error* (a broken invariant: a bug, whose
 * message is for us, never for the client).
 */
export interface AppErrorOptions {
  /** Expected failure with a client-worthy message (default), or a bug. */
  isOperational?: boolean;
  /** Extra members for the problem response, e.g. `{ field: 'email' }`. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly isOperational: boolean;
  readonly details: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    { isOperational = true, details = {}, cause }: AppErrorOptions = {},
  ) {
    super(message, { cause });
    this.isOperational = isOperational;
    this.details = details;
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(what: string, id: string) {
    super(404, 'resource.not_found', `No ${what} with id ${JSON.stringify(id)}.`);
  }
}

export class AuthenticationError extends AppError {
  override name = 'AuthenticationError';
  constructor(code: `auth.${string}`, message: string, options?: AppErrorOptions) {
    super(401, code, message, options);
  }
}
