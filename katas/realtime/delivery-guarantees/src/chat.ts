import express from 'express';
import type { Server, Socket } from 'socket.io';
import { AppError, notFoundHandler, problemHandler, requestId, type ProblemOptions } from '../../../../lib/errors';
import { createKeyedQueue } from './keyed-queue';
import { errorAck, parseRoom, replyTo, storeUnavailable, type ErrorAck } from './payloads';

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

  app.get('/rooms/:room/messages', () => {
    // TODO: the catch-up route pollers use: messages after `after` (digits,
    // default 0) with `limit` (1–1,000, default 100), answered as
    // { messages, last }; bad input is a 400 problem, MongoDB down a 503.
    throw new AppError(501, 'not_implemented', 'GET /rooms/:room/messages is not written yet.');
  });

  app.get('/rooms/:room/history', () => {
    // TODO: one page of history, newest first: `limit` (1–100, default 20) and
    // the opaque `cursor` of the previous page, answered as { messages, next }
    // where next is the cursor of the following page or null.
    throw new AppError(501, 'not_implemented', 'GET /rooms/:room/history is not written yet.');
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
        // TODO: validate (parseSend), store (appendMessage), then broadcast,
        // then ack ({ ok: true, message, duplicate }, or an error ack), in
        // offset order: the `rooms` queue runs one task per room at a time.
        void [rooms, maxBodyLength];
        const message = payload as { room: string };
        io.to(message.room).emit('message', payload);
        reply({ ok: true });
      });

      socket.on('join', async (payload: unknown, ack?: unknown) => {
        const reply = replyTo(ack);
        // TODO: validate; replay what the client missed after `after`, then
        // join, with nothing stored in between; ack { ok: true, room, last }.
        const { room } = payload as { room: string };
        await socket.join(room);
        reply({ ok: true, room, last: null });
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
