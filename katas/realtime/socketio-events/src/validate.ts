import type { Failure } from './ack';

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
  // TODO: an object with a string text, trimmed, not empty, at most limits.textChars characters
  // (code points); otherwise a validation.failed failure naming the field.
  return { ok: true, value: payload as MessageInput };
}

export function parseFile(payload: unknown): Parsed<FileInput> {
  // TODO: an object with a non-empty name (at most limits.fileNameChars) and binary data (a Buffer)
  // of at most limits.fileBytes (payload.too_large beyond).
  return { ok: true, value: payload as FileInput };
}

export function parseVote(payload: unknown): Parsed<PollOption> {
  // TODO: an object whose option is one of pollOptions; otherwise validation.failed on the field option.
  return { ok: true, value: (payload as { option: PollOption }).option };
}
