import express from 'express';
import type { Server, Socket } from 'socket.io';
import { AppError, notFoundHandler, problemHandler, requestId, validationFailed, type ProblemOptions } from '../../../../lib/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { createKeyedQueue } from './keyed-queue';
import { errorAck, parseJoin, parseLimit, parseOffset, parseRoom, parseSend, replyTo, storeUnavailable, type ErrorAck } from './payloads';
import { appendMessage, historyPage, messagesAfter, type ChatMessage } from './store';

export interface ChatOptions {
  /** Longest message body accepted, in characters (default 2,000). */
  maxBodyLength?: number;
  /** Where unexpected errors go (default console.error); the client only ever sees a code. */
  log?: ProblemOptions['log'];
}

export interface Chat {
  /** The HTTP side: catch-up for pollers and history pages. */
  app: express.Express;
  /** Registers the socket handlers on a Socket.io server (one call per server). */
  register(io: Server): void;
}

/** Operational errors pass through; anything else is the store failing (logged, never shown). */
function asOperational(error: unknown): AppError {
  return error instanceof AppError ? error : storeUnavailable(error);
}

/**
 * A chat whose messages survive the trip: each one is written to MongoDB with
 * the next offset of its room before anyone sees it, acknowledged only once
 * written, replayed from an offset to a client that comes back, and served
 * page by page as history.
 */
export function createChat({ maxBodyLength = 2_000, log = (entry) => console.error(entry) }: ChatOptions = {}): Chat {
  const rooms = createKeyedQueue();
  const app = express();
  app.use(requestId());

  app.get('/rooms/:room/messages', async (req, res) => {
    const room = parseRoom(req.params.room);
    const after = req.query.after === undefined ? 0 : parseOffset(req.query.after, 'after', { fromQuery: true });
    const limit = parseLimit(req.query.limit, 100, 1_000);
    const messages = await messagesAfter(room, after, limit).catch((error: unknown) => {
      throw storeUnavailable(error);
    });
    res.json({ messages, last: messages.at(-1)?.offset ?? after });
  });

  app.get('/rooms/:room/history', async (req, res) => {
    const room = parseRoom(req.params.room);
    const { cursor } = req.query;
    if (cursor !== undefined && typeof cursor !== 'string') throw validationFailed({ cursor: 'must appear once' });
    const before = cursor === undefined ? undefined : decodeCursor(room, cursor);
    const limit = parseLimit(req.query.limit, 20, 100);
    const page = await historyPage(room, before, limit).catch((error: unknown) => {
      throw storeUnavailable(error);
    });
    const oldest = page.messages.at(-1);
    res.json({ messages: page.messages, next: page.hasMore && oldest ? encodeCursor(room, oldest.offset) : null });
  });

  app.use(notFoundHandler());
  app.use(problemHandler({ log }));

  function reportAndAck(socket: Socket, error: unknown): ErrorAck {
    const operational = asOperational(error);
    if (operational.status >= 500) log({ requestId: socket.id, status: operational.status, code: operational.code, error });
    return errorAck(operational);
  }

  function register(io: Server): void {
    io.on('connection', (socket) => {
      socket.on('send', async (payload: unknown, ack?: unknown) => {
        const reply = replyTo(ack);
        try {
          const message = parseSend(payload, maxBodyLength);
          const { message: stored, duplicate } = await rooms.run(message.room, async () => {
            // Written (and committed) first: a message nobody can read back
            // must never have been seen or acknowledged.
            const appended = await appendMessage(message);
            // A retry was broadcast by its first attempt; broadcasting it again
            // would show it twice. Inside the room's queue, broadcasts leave in
            // offset order.
            if (!appended.duplicate) io.to(message.room).emit('message', appended.message);
            return appended;
          });
          reply({ ok: true, message: stored, duplicate });
        } catch (error) {
          reply(reportAndAck(socket, error));
        }
      });

      socket.on('join', async (payload: unknown, ack?: unknown) => {
        const reply = replyTo(ack);
        try {
          const { room, after } = parseJoin(payload);
          const last = await rooms.run(room, async () => {
            // Replay and join inside the room's queue: no message can be
            // stored between the last page read and the join, so the client
            // gets every offset after `after` exactly once.
            const replayBatch = 500;
            let cursor = after;
            if (cursor !== undefined) {
              for (;;) {
                const batch: ChatMessage[] = await messagesAfter(room, cursor, replayBatch);
                for (const message of batch) socket.emit('message', message);
                cursor = batch.at(-1)?.offset ?? cursor;
                if (batch.length < replayBatch) break;
              }
            }
            await socket.join(room);
            return cursor;
          });
          reply({ ok: true, room, last: last ?? null });
        } catch (error) {
          reply(reportAndAck(socket, error));
        }
      });

      socket.on('leave', async (payload: unknown, ack?: unknown) => {
        const reply = replyTo(ack);
        try {
          const room = parseRoom((payload as { room?: unknown } | null)?.room);
          await socket.leave(room);
          reply({ ok: true, room });
        } catch (error) {
          reply(reportAndAck(socket, error));
        }
      });
    });
  }

  return { app, register };
}
