import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Server, type Socket } from 'socket.io';
import { createMemoryStore, type ChatMessage, type MessageStore } from './message-store';

/** Who a token belongs to, and which rooms that user may join. */
export interface ChatUser {
  id: string;
  rooms: string[];
}

export interface ChatServerOptions {
  /** Bearer tokens (sent as `auth: { token }` in the handshake) and their users. */
  users: Record<string, ChatUser>;
  store?: MessageStore;
}

/** Every ack has this shape: `ok`, or a `code` a client can branch on. */
export type Ack<T = object> = ({ ok: true } & T) | { ok: false; code: 'invalid' | 'forbidden' | 'not_joined' | 'unavailable' };

export interface ChatServer {
  /** `http://127.0.0.1:<port>`: pass it to socket.io-client's `io()`. */
  url: string;
  io: Server;
  store: MessageStore;
  close(): Promise<void>;
}

/** How many messages a join returns, newest last. */
export const historyLimit = 20;
/** The longest message text accepted, in characters. */
export const maxTextLength = 500;

/**
 * A chat over Socket.io, listening on a free port of 127.0.0.1.
 *
 * - The handshake must carry a known token (`auth: { token }`); otherwise the
 *   connection is refused with a connect_error whose message is "unauthorized".
 * - `join` `{ room }` → ack `{ ok: true, history }` (the last 20 messages, oldest
 *   first) when the user may join the room, `{ ok: false, code: 'forbidden' }` otherwise.
 * - `leave` `{ room }` → ack `{ ok: true }`; no more messages from that room.
 * - `message` `{ room, text }` → stored, then ack `{ ok: true, message }` and every
 *   other member of the room gets a `message` event (the sender has the ack).
 *   Refused: text not a string, blank or longer than 500 characters (`invalid`),
 *   a room not joined (`not_joined`), a store that fails (`unavailable`: nothing is
 *   broadcast, the client may retry).
 * - A client that loses its connection briefly gets the messages it missed when it
 *   reconnects (Socket.io's connection state recovery), in its rooms.
 */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const store = options.store ?? createMemoryStore();
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    // Missed events are replayed to a client that reconnects within two minutes.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
  });

  io.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const user = typeof token === 'string' ? options.users[token] : undefined;
    if (!user) return next(new Error('unauthorized'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket) => {
    socket.on('join', async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const room = roomOf(payload);
      if (!room) return ack({ ok: false, code: 'invalid' } satisfies Ack);
      if (!userOf(socket).rooms.includes(room)) return ack({ ok: false, code: 'forbidden' } satisfies Ack);
      await socket.join(room);
      try {
        ack({ ok: true, history: await store.recent(room, historyLimit) } satisfies Ack<{ history: ChatMessage[] }>);
      } catch {
        ack({ ok: false, code: 'unavailable' } satisfies Ack);
      }
    });

    socket.on('leave', async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const room = roomOf(payload);
      if (!room) return ack({ ok: false, code: 'invalid' } satisfies Ack);
      await socket.leave(room);
      ack({ ok: true } satisfies Ack);
    });

    socket.on('message', async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const room = roomOf(payload);
      const text = (payload as { text?: unknown } | null)?.text;
      if (!room || typeof text !== 'string' || text.trim() === '' || text.length > maxTextLength) {
        return ack({ ok: false, code: 'invalid' } satisfies Ack);
      }
      if (!socket.rooms.has(room)) return ack({ ok: false, code: 'not_joined' } satisfies Ack);
      const message: ChatMessage = { id: randomUUID(), room, from: userOf(socket).id, text, sentAt: new Date().toISOString() };
      try {
        await store.save(message);
      } catch {
        return ack({ ok: false, code: 'unavailable' } satisfies Ack);
      }
      // The sender learns of success from the ack; the others from this event.
      socket.to(room).emit('message', message);
      ack({ ok: true, message } satisfies Ack<{ message: ChatMessage }>);
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    io,
    store,
    // io.close() disconnects every client and closes the HTTP server.
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

function roomOf(payload: unknown): string | undefined {
  const room = (payload as { room?: unknown } | null)?.room;
  return typeof room === 'string' && room.length > 0 ? room : undefined;
}

function userOf(socket: Socket): ChatUser {
  return socket.data.user as ChatUser;
}
