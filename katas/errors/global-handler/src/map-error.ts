import { AppError } from './errors';

/**
 * Turns anything thrown anywhere into an AppError, so the error handler deals
 * with one type only.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // TODO: mongoose, MongoDB, jsonwebtoken and body-parser errors all end up here as anonymous 500s.
  return new AppError(500, 'internal', 'Internal Server Error', { isOperational: false, cause: err });
}
