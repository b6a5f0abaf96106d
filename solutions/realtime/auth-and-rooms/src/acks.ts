import { AppError } from '../../../../lib/errors';

/** What every acknowledgement carries: a result, or phase 1's `{ code, message }`. */
export type Failure = { ok: false; error: { code: string; message: string } & Record<string, unknown> };
export type Ack<T> = { ok: true; data: T } | Failure;
export type AckCallback = (reply: Ack<unknown>) => void;

/**
 * The client's ack callback if it sent one; anything else (no ack, a string in
 * its place) gets a no-op, so the server can always answer without crashing.
 */
export function ackFrom(candidate: unknown): AckCallback {
  return typeof candidate === 'function' ? (candidate as AckCallback) : () => {};
}

export const success = <T>(data: T): Ack<T> => ({ ok: true, data });

/**
 * An AppError as an ack: its code, its message and its details (the field
 * that is wrong, when to retry); never a stack or a library's text.
 */
export function failure(error: AppError): Failure {
  return { ok: false, error: { ...error.details, code: error.code, message: error.message } };
}

/** 400 validation.failed naming the one field that is wrong. */
export const invalid = (field: string, message: string) => new AppError(400, 'validation.failed', `${field} ${message}`, { details: { field } });

/**
 * The error a Socket.io middleware hands to `next()` to refuse a connection.
 * The client's `connect_error` carries `message` and `data`: both are ours.
 */
export function refusal(error: AppError): Error & { data: { code: string; message: string } } {
  return Object.assign(new Error(error.message), { data: { code: error.code, message: error.message } });
}

type Listener = (...args: unknown[]) => void;

/**
 * Registers `handler` for `event`: it gets the payload and returns the ack's
 * data. Socket.io passes the ack as the last argument, so `emit('x', cb)`
 * arrives as `(cb)`: the payload is then missing, not the callback. An
 * AppError is answered with its code; anything else is logged and answered
 * `server.error`, never thrown (an unhandled rejection ends a Node process).
 */
export function onEvent(
  socket: { id: string; on(event: string, listener: Listener): unknown },
  event: string,
  handler: (payload: unknown) => Promise<unknown>,
  log: (entry: Record<string, unknown>) => void,
): void {
  socket.on(event, (...args: unknown[]) => {
    const hasAck = typeof args.at(-1) === 'function';
    const reply = ackFrom(hasAck ? args.at(-1) : undefined);
    const payload = hasAck ? args.slice(0, -1)[0] : args[0];
    handler(payload).then(
      (data) => reply(success(data)),
      (error: unknown) => {
        if (error instanceof AppError && error.isOperational) return reply(failure(error));
        log({ socket: socket.id, event, error });
        reply({ ok: false, error: { code: 'server.error', message: 'The server could not handle this event.' } });
      },
    );
  });
}
