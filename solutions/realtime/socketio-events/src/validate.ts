import { failure, type Failure } from './ack';

export interface MessageInput {
  text: string;
}

export interface FileInput {
  name: string;
  data: Buffer;
}

export const limits = {
  textChars: 500,
  fileBytes: 64 * 1024,
  fileNameChars: 100,
};

export const pollOptions = ['a', 'b', 'c'] as const;
export type PollOption = (typeof pollOptions)[number];

type Parsed<T> = { ok: true; value: T } | Failure;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * Anything can arrive: a string, null, an array, a number where text should
 * be. Check the shape before touching a field, and copy only what we use, so
 * nothing the client added (`from`, `__proto__`) is ever broadcast.
 */
export function parseMessage(payload: unknown): Parsed<MessageInput> {
  if (!isRecord(payload)) return failure('validation.failed', 'The payload must be an object.');
  const { text } = payload;
  if (typeof text !== 'string') return failure('validation.failed', 'text must be a string.', 'text');
  const trimmed = text.trim();
  if (trimmed.length === 0) return failure('validation.failed', 'text must not be empty.', 'text');
  // Count characters as people see them (code points), not UTF-16 units.
  if ([...trimmed].length > limits.textChars) {
    return failure('validation.failed', `text must be at most ${limits.textChars} characters.`, 'text');
  }
  return { ok: true, value: { text: trimmed } };
}

export function parseFile(payload: unknown): Parsed<FileInput> {
  if (!isRecord(payload)) return failure('validation.failed', 'The payload must be an object.');
  const { name, data } = payload;
  if (typeof name !== 'string' || name.trim() === '' || name.length > limits.fileNameChars) {
    return failure('validation.failed', `name must be a non-empty string of at most ${limits.fileNameChars} characters.`, 'name');
  }
  // Socket.io delivers binary attachments to Node as Buffers; a string or an
  // array of numbers is not a file.
  if (!Buffer.isBuffer(data)) return failure('validation.failed', 'data must be binary.', 'data');
  if (data.length > limits.fileBytes) return failure('payload.too_large', `data must be at most ${limits.fileBytes} bytes.`, 'data');
  return { ok: true, value: { name: name.trim(), data } };
}

export function parseVote(payload: unknown): Parsed<PollOption> {
  const option = isRecord(payload) ? payload.option : undefined;
  if (typeof option !== 'string' || !(pollOptions as readonly string[]).includes(option)) {
    return failure('validation.failed', `option must be one of ${pollOptions.join(', ')}.`, 'option');
  }
  return { ok: true, value: option as PollOption };
}
