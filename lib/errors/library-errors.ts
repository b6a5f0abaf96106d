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
    const details: Record<string, string> = {};
    for (const [path, inner] of Object.entries(e.errors as Record<string, { message?: string }>)) {
      details[path] = inner.message ?? 'is invalid';
    }
    return new AppError(400, 'validation_failed', 'The request is not valid.', { details, cause: error });
  }

  // mongoose CastError: an id or value of the wrong type in the URL or body.
  if (e.name === 'CastError' && typeof e.path === 'string') {
    return new AppError(400, 'invalid_value', `"${String(e.value)}" is not a valid ${e.path}.`, {
      details: { [e.path]: `must be a valid ${String(e.kind ?? 'value')}` },
      cause: error,
    });
  }

  // MongoDB duplicate key: name the field from keyValue, never parse the message.
  if (e.code === 11000) {
    const fields = Object.keys((e.keyValue as Record<string, unknown> | undefined) ?? (e.keyPattern as object) ?? {});
    const details = Object.fromEntries(fields.map((field) => [field, 'is already taken']));
    return new AppError(409, 'duplicate_key', `${fields.join(', ') || 'A unique value'} is already taken.`, { details, cause: error });
  }

  // jsonwebtoken: an expired token is a distinct case a client can act on (refresh).
  if (e.name === 'TokenExpiredError') {
    return new AppError(401, 'token_expired', 'The token has expired.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The token has expired"' },
      cause: error,
    });
  }
  if (e.name === 'JsonWebTokenError' || e.name === 'NotBeforeError') {
    return new AppError(401, 'invalid_token', 'The token is not valid.', {
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      cause: error,
    });
  }
  return undefined;
}
