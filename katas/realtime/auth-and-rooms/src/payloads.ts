import { invalid } from './acks';

const ID = /^[\w-]{1,64}$/;
const MAX_TEXT = 2_000;

function asRecord(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw invalid('payload', 'must be an object.');
  return payload as Record<string, unknown>;
}

// Ids end up in MongoDB filters: a string of known characters, never an object
// such as { "$ne": null } that would match any document.
function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw invalid(field, 'must be 1–64 letters, digits, _ or -.');
  return value;
}

function text(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > MAX_TEXT) {
    throw invalid('text', `must be a non-blank string of at most ${MAX_TEXT} characters.`);
  }
  return value.trim();
}

export const parseConversation = (payload: unknown) => ({ conversationId: id(asRecord(payload).conversationId, 'conversationId') });

export function parseMessage(payload: unknown) {
  const record = asRecord(payload);
  return { conversationId: id(record.conversationId, 'conversationId'), text: text(record.text) };
}

export function parseDirectMessage(payload: unknown) {
  const record = asRecord(payload);
  return { to: id(record.to, 'to'), text: text(record.text) };
}

export function parseRemoval(payload: unknown) {
  const record = asRecord(payload);
  return { conversationId: id(record.conversationId, 'conversationId'), userId: id(record.userId, 'userId') };
}

export const parseUser = (payload: unknown) => ({ userId: id(asRecord(payload).userId, 'userId') });
