import { Message } from './message.model';

/** A message as clients see it, live, replayed and in history. */
export interface ChatMessage {
  room: string;
  offset: number;
  key: string;
  body: string;
  sentAt: string;
}

export interface NewMessage {
  room: string;
  key: string;
  body: string;
}

export interface Appended {
  message: ChatMessage;
  /** true when `key` was already stored: this was a retry, nothing new was written. */
  duplicate: boolean;
}

interface MessageRecord {
  room: string;
  offset: number;
  key: string;
  body: string;
  sentAt: Date;
}

const toMessage = ({ room, offset, key, body, sentAt }: MessageRecord): ChatMessage => ({
  room,
  offset,
  key,
  body,
  sentAt: sentAt.toISOString(),
});

/**
 * Stores a message at the next offset of its room.
 *
 * TODO: offsets without gaps or duplicates, even with 50 senders at once on
 * several processes (count + 1 is read-then-write: two senders read the same
 * count), and once per idempotency key: a retry after a lost ack answers with
 * the stored message and `duplicate: true`, a used key with another body is a
 * 409 `idempotency.key_reused`. A failed insert must not use up an offset.
 */
export async function appendMessage({ room, key, body }: NewMessage): Promise<Appended> {
  const offset = (await Message.countDocuments({ room })) + 1;
  const created = await Message.create({ room, key, body, offset, sentAt: new Date() });
  return { message: toMessage(created.toObject<MessageRecord>()), duplicate: false };
}

/** Messages of `room` after offset `after`, oldest first (catch-up and polling). */
export async function messagesAfter(room: string, after: number, limit: number): Promise<ChatMessage[]> {
  // TODO: at most `limit` messages of `room` with an offset above `after`, oldest first.
  void [room, after, limit];
  return [];
}

/**
 * One page of history, newest first: the messages before offset `before`
 * (or the newest ones), and whether older ones remain. Keyed on the offset,
 * not on skip(): messages arriving between two pages shift nothing.
 */
export async function historyPage(room: string, before: number | undefined, limit: number): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  // TODO: newest first, only offsets below `before` when given, and whether older messages remain.
  void [room, before, limit];
  return { messages: [], hasMore: false };
}
