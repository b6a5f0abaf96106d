import { AppError } from './app-error';

/**
 * Maps the errors that libraries throw for client mistakes to operational
 * AppErrors, by their documented shape rather than by `instanceof` (a second
 * copy of a library in node_modules would defeat `instanceof`).
 */
export function fromLibraryError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as Record<string, unknown>;

  // body-parser (express.json()): malformed JSON, oversize bodies, bad charsets.
  if (typeof e.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, e.type, String(e.message), { cause: error });
  }

  // mongoose ValidationError: one message per invalid path.
  if (e.name === 'ValidationError' && typeof e.errors === 'object' && e.errors !== null) {
    const errors = Object.entries(e.errors as Record<string, { message?: string }>).map(([field, inner]) => ({
      field,
      message: inner.message ?? 'is invalid',
    }));
    return new AppError(400, 'validation.failed', 'Some fields are invalid.', { details: { errors }, cause: error });
  }

  // mongoose CastError: an id or value of the wrong type in the URL or body.
  if (e.name === 'CastError' && typeof e.path === 'string') {
    return new AppError(400, 'validation.invalid_value', `${JSON.stringify(e.value)} is not a valid ${String(e.kind)} for ${e.path}.`, {
      details: { field: e.path },
      cause: error,
    });
  }

  // MongoDB duplicate key: name the field from keyPattern, never parse the
  // message (it names the index, which is neither stable nor what clients send).
  if (e.code === 11000) {
    const field = Object.keys((e.keyPattern as object | undefined) ?? (e.keyValue as object | undefined) ?? {})[0] ?? 'unknown';
    return new AppError(409, 'resource.conflict', `Another record already uses this ${field}.`, { details: { field }, cause: error });
  }

  // jsonwebtoken: an expired token is a distinct case a client can act on (refresh).
  if (e.name === 'TokenExpiredError') {
    return new AppError(401, 'auth.token_expired', 'The token has expired.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The token has expired"' },
      cause: error,
    });
  }
  if (e.name === 'JsonWebTokenError' || e.name === 'NotBeforeError') {
    return new AppError(401, 'auth.token_invalid', 'The token is not valid.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      cause: error,
    });
  }
  return undefined;
}
