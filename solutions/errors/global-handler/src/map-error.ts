import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { AppError, AuthenticationError } from './errors';

/**
 * Turns anything thrown anywhere into an AppError, so the error handler deals
 * with one type only.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;

  // Each library below reports a client's mistake as its own error type. Left
  // unmapped they are anonymous 500s: the client is told we broke, and cannot
  // tell which field to fix.
  if (err instanceof mongoose.Error.ValidationError) {
    const errors = Object.values(err.errors).map((fieldError) => ({ field: fieldError.path, message: fieldMessage(fieldError) }));
    return new AppError(400, 'validation.failed', 'Some fields are invalid.', { details: { errors }, cause: err });
  }
  if (err instanceof mongoose.Error.CastError) {
    return new AppError(400, 'validation.invalid_value', `${JSON.stringify(err.value)} is not a valid ${err.kind} for ${err.path}.`, {
      details: { field: err.path },
      cause: err,
    });
  }
  if (isDuplicateKey(err)) {
    // keyPattern/keyValue name the indexed field. The message names the *index*
    // (here users_handle_unique), which is neither stable nor what clients send.
    const field = Object.keys(err.keyPattern ?? err.keyValue ?? {})[0] ?? 'unknown';
    return new AppError(409, 'resource.conflict', `Another record already uses this ${field}.`, { details: { field }, cause: err });
  }
  // TokenExpiredError extends JsonWebTokenError: test the specific one first.
  if (err instanceof jwt.TokenExpiredError) {
    return new AuthenticationError('auth.token_expired', 'The token has expired; sign in again.', { cause: err });
  }
  if (err instanceof jwt.JsonWebTokenError) {
    return new AuthenticationError('auth.token_invalid', 'The token is not valid.', { cause: err });
  }
  // body-parser (and http-errors in general) carry a 4xx `status`, and body-parser a stable `type`.
  const { status, type, message } = (err ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 499) {
    return new AppError(status, typeof type === 'string' ? type : 'request.invalid', typeof message === 'string' ? message : 'Bad request.', {
      cause: err,
    });
  }
  return new AppError(500, 'internal', 'Internal Server Error', { isOperational: false, cause: err });
}

/**
 * mongoose's own messages are written for the developer ("Path `age` (-1) is
 * less than minimum allowed value (0).", "Cast to Number failed for value …"):
 * the client gets a short one per kind of failure, next to the field.
 */
function fieldMessage(fieldError: mongoose.Error.ValidatorError | mongoose.Error.CastError): string {
  if (fieldError instanceof mongoose.Error.CastError) return `must be a ${fieldError.kind.toLowerCase()}.`;
  if (fieldError.kind === 'required') return 'is required.';
  if (fieldError.kind === 'min') return `must be at least ${String((fieldError.properties as { min?: unknown }).min)}.`;
  return 'is invalid.';
}

interface DuplicateKeyError {
  code: 11000;
  keyPattern?: Record<string, unknown>;
  keyValue?: Record<string, unknown>;
}

function isDuplicateKey(err: unknown): err is DuplicateKeyError {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
