import { AppError, validationFailed } from '../../../../lib/errors';

/** What a socket handler answers through its acknowledgement callback: `{ ok: true, … }` or an error. */
export type ErrorAck = { ok: false; error: { code: string; message: string; errors?: unknown } };
export type Reply = (answer: ({ ok: true } & Record<string, unknown>) | ErrorAck) => void;

/**
 * The handler's ack callback, or a no-op when the client emitted without one:
 * calling undefined would reject the async handler, and an unhandled
 * rejection ends a Node process by default.
 */
export const replyTo = (ack: unknown): Reply => (typeof ack === 'function' ? (ack as Reply) : () => {});

export const roomPattern = /^[\w-]{1,64}$/;
const keyPattern = /^[\w-]{8,128}$/;

/** An AppError as an error ack: the code and message a client can act on, never a stack or a driver's text. */
export function errorAck(error: AppError): ErrorAck {
  const errors = error.details?.errors;
  return { ok: false, error: { code: error.code, message: error.message, ...(errors ? { errors } : {}) } };
}

export const storeUnavailable = (cause: unknown) =>
  new AppError(503, 'store.unavailable', 'Messages cannot be stored or read right now; retry with the same key.', { cause });

function asRecord(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw validationFailed({ payload: 'must be an object' });
  }
  return payload as Record<string, unknown>;
}

export function parseRoom(value: unknown): string {
  if (typeof value !== 'string' || !roomPattern.test(value)) throw validationFailed({ room: 'must be 1–64 letters, digits, _ or -' });
  return value;
}

/**
 * An offset from a client: a whole number ≥ 0. A query string carries it as
 * digits (`fromQuery`); a socket payload must carry a JSON number.
 */
export function parseOffset(value: unknown, field: string, { fromQuery = false } = {}): number {
  const n = fromQuery && typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw validationFailed({ [field]: 'must be a whole number ≥ 0' });
  return n;
}

/** `limit` from a query string: 1…max, `fallback` when absent. */
export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw validationFailed({ limit: `must be a whole number from 1 to ${max}` });
  return n;
}

export interface SendPayload {
  room: string;
  key: string;
  body: string;
}

export function parseSend(payload: unknown, maxBodyLength: number): SendPayload {
  const { room, key, body } = asRecord(payload);
  const fields: Record<string, string> = {};
  if (typeof room !== 'string' || !roomPattern.test(room)) fields.room = 'must be 1–64 letters, digits, _ or -';
  if (typeof key !== 'string' || !keyPattern.test(key)) fields.key = 'must be 8–128 letters, digits, _ or - (a UUID will do)';
  if (typeof body !== 'string' || body.trim().length === 0 || body.length > maxBodyLength) {
    fields.body = `must be a non-empty string of at most ${maxBodyLength} characters`;
  }
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  return { room: room as string, key: key as string, body: body as string };
}

export interface JoinPayload {
  room: string;
  /** The last offset the client has; omitted: live messages only. */
  after?: number;
}

export function parseJoin(payload: unknown): JoinPayload {
  const { room, after } = asRecord(payload);
  return { room: parseRoom(room), after: after === undefined ? undefined : parseOffset(after, 'after') };
}
