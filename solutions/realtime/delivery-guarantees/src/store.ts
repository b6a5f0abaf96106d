import mongoose from 'mongoose';
import { conflict } from '../../../../lib/errors';
import { Message } from './message.model';
import { RoomCounter } from './room-counter.model';

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

const isDuplicateKeyOn = (error: unknown, field: string): boolean => {
  const e = error as { code?: unknown; keyPattern?: Record<string, unknown> } | null;
  return e?.code === 11000 && e.keyPattern !== undefined && field in e.keyPattern;
};

/**
 * The message already stored under `key`, if any. A key names one message: a
 * different body under a used key is a client bug (two messages sharing a
 * key), refused rather than silently answered with the first one.
 */
async function findByKey(room: string, key: string, body: string): Promise<ChatMessage | undefined> {
  const found = await Message.findOne({ room, key }).lean<MessageRecord>().exec();
  if (found && found.body !== body) {
    throw conflict('idempotency.key_reused', 'This key already names another message; send a new message with a new key.');
  }
  return found ? toMessage(found) : undefined;
}

/**
 * Stores a message at the next offset of its room, once per idempotency key.
 *
 * The offset comes from a per-room counter incremented with `$inc` (atomic on
 * the server, unlike reading the last offset and adding one), and the
 * increment and the insert commit together in one transaction: if the insert
 * fails (a retry that lost the race on the key index, MongoDB going away) the
 * increment is rolled back too, so no offset is ever skipped. Two writers in
 * different processes touching the same counter conflict, and withTransaction
 * retries the loser on top of the winner's commit.
 */
export async function appendMessage({ room, key, body }: NewMessage): Promise<Appended> {
  // The common retry: the first attempt was stored, only its ack was lost.
  const earlier = await findByKey(room, key, body);
  if (earlier) return { message: earlier, duplicate: true };

  const session = await mongoose.startSession();
  try {
    const stored = await session.withTransaction(async () => {
      const counter = await RoomCounter.findOneAndUpdate(
        { _id: room },
        { $inc: { last: 1 } },
        { upsert: true, returnDocument: 'after', session },
      )
        .lean<{ last: number }>()
        .exec();
      const [created] = await Message.create([{ room, key, body, offset: counter!.last, sentAt: new Date() }], { session });
      return created!.toObject<MessageRecord>();
    });
    return { message: toMessage(stored), duplicate: false };
  } catch (error) {
    // A retry racing its first attempt (another process, or the check above
    // running before that attempt committed): the key index said no, and the
    // transaction took its increment back. Answer with the stored message.
    if (isDuplicateKeyOn(error, 'key')) {
      const winner = await findByKey(room, key, body);
      if (winner) return { message: winner, duplicate: true };
    }
    throw error;
  } finally {
    await session.endSession();
  }
}

/** Messages of `room` after offset `after`, oldest first (catch-up and polling). */
export async function messagesAfter(room: string, after: number, limit: number): Promise<ChatMessage[]> {
  const found = await Message.find({ room, offset: { $gt: after } })
    .sort({ offset: 1 })
    .limit(limit)
    .lean<MessageRecord[]>()
    .exec();
  return found.map(toMessage);
}

/**
 * One page of history, newest first: the messages before offset `before`
 * (or the newest ones), and whether older ones remain. Keyed on the offset,
 * not on skip(): messages arriving between two pages shift nothing.
 */
export async function historyPage(room: string, before: number | undefined, limit: number): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  const filter = before === undefined ? { room } : { room, offset: { $lt: before } };
  // One more than asked says whether another page exists without a count().
  const found = await Message.find(filter)
    .sort({ offset: -1 })
    .limit(limit + 1)
    .lean<MessageRecord[]>()
    .exec();
  return { messages: found.slice(0, limit).map(toMessage), hasMore: found.length > limit };
}
