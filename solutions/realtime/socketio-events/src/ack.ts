/** What every acknowledgement carries: a result, or phase 1's `{ code, message }`. */
export type Failure = { ok: false; error: AckError };
export type Ack<T> = { ok: true; data: T } | Failure;

export interface AckError {
  code: string;
  message: string;
  /** The payload field that was wrong, when one was. */
  field?: string;
}

export type AckCallback = (reply: Ack<unknown>) => void;

/**
 * The last argument of an event is the client's ack callback only if the
 * client asked for one; anything else (no ack, a string in its place) gets a
 * no-op, so a handler can always answer without crashing the server.
 */
export function ackFrom(candidate: unknown): AckCallback {
  return typeof candidate === 'function' ? (candidate as AckCallback) : () => {};
}

/**
 * Registers `handler` for `event` with the payload and an ack it can always
 * call. Socket.io passes the ack as the last argument, so `emit('x', cb)`
 * arrives as `(cb)`: the payload is then missing, not the callback. A handler
 * that throws answers `internal` instead of taking the server down.
 */
export function onEvent(
  socket: { on(event: string, listener: (...args: unknown[]) => void): unknown },
  event: string,
  handler: (payload: unknown, reply: AckCallback) => void,
): void {
  socket.on(event, (...args: unknown[]) => {
    const hasAck = typeof args.at(-1) === 'function';
    const reply = ackFrom(hasAck ? args.at(-1) : undefined);
    const payload = hasAck ? args.slice(0, -1)[0] : args[0];
    try {
      handler(payload, reply);
    } catch {
      reply(failure('internal', 'The server could not handle this event.'));
    }
  });
}

export const success = <T>(data: T): Ack<T> => ({ ok: true, data });

export const failure = (code: string, message: string, field?: string): Failure => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});
