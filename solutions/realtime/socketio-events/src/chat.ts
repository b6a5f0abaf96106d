import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { ackFrom, failure, onEvent, success } from './ack';
import { parseFile, parseMessage, parseVote, pollOptions, type PollOption } from './validate';

export interface ChatConfig {
  /** How long the server waits for recipients to confirm a message before reporting who did. */
  deliveryTimeoutMs: number;
  /** What a client of `/admin` must present as `auth.token`. */
  adminToken: string;
}

export interface ChatMessage {
  id: string;
  text: string;
  from: string;
  at: string;
}

export const knownEvents = new Set(['message:send', 'file:share', 'poll:vote', 'typing']);

/**
 * The chat on the main namespace, and an audit feed on `/admin`.
 *
 * Client → server: `message:send`, `file:share`, `poll:vote` (each acked with
 * `{ ok, data }` or `{ ok: false, error: { code, message } }`), `typing`.
 * Server → client: `message:new` (to everyone but the sender, acked by each
 * recipient), `message:delivered` (to the sender), `file:shared`,
 * `poll:results` (to everyone), `typing` (volatile), and `audit` on `/admin`.
 */
export function registerChat(io: Server, config: ChatConfig): void {
  const votes: Record<PollOption, number> = { a: 0, b: 0, c: 0 };
  const admin = io.of('/admin');

  io.on('connection', (socket: Socket) => {
    onEvent(socket, 'message:send', (payload, reply) => {
      const parsed = parseMessage(payload);
      if (!parsed.ok) return reply(parsed);
      const message: ChatMessage = { id: randomUUID(), text: parsed.value.text, from: socket.id, at: new Date().toISOString() };

      // To the others only: the sender has its message, and its ack says it arrived.
      // Each recipient confirms; with a timeout, one that never answers delays
      // only this report, never the sender's ack nor anyone else's delivery.
      socket.broadcast.timeout(config.deliveryTimeoutMs).emit('message:new', message, (_err: Error | null, receipts: unknown[]) => {
        socket.emit('message:delivered', { id: message.id, delivered: receipts.length });
      });
      admin.emit('audit', { event: 'message:send', from: socket.id, id: message.id });
      reply(success({ id: message.id }));
    });

    onEvent(socket, 'file:share', (payload, reply) => {
      const parsed = parseFile(payload);
      if (!parsed.ok) return reply(parsed);
      socket.broadcast.emit('file:shared', { name: parsed.value.name, data: parsed.value.data, from: socket.id });
      reply(success({ bytes: parsed.value.data.length }));
    });

    onEvent(socket, 'poll:vote', (payload, reply) => {
      const parsed = parseVote(payload);
      if (!parsed.ok) return reply(parsed);
      votes[parsed.value] += 1;
      // Everyone, the voter included, must see the same totals.
      io.emit('poll:results', { ...votes });
      reply(success({ option: parsed.value }));
    });

    socket.on('typing', () => {
      // Stale the moment it is late: volatile lets Socket.io drop it for a
      // client that cannot take it now, instead of queueing it.
      socket.broadcast.volatile.emit('typing', { from: socket.id });
    });

    // A client may emit anything; one that expects an answer gets one.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (knownEvents.has(event)) return;
      ackFrom(args.at(-1))(failure('event.unknown', `Unknown event "${event}".`));
    });
  });

  // A namespace has its own middleware: the main namespace's clients are not
  // admins just because they reached the same server.
  admin.use((socket, next) => {
    const token = socket.handshake.auth.token;
    if (typeof token === 'string' && sameSecret(token, config.adminToken)) return next();
    next(Object.assign(new Error('Admin token required.'), { data: { code: 'auth.forbidden', message: 'Admin token required.' } }));
  });

  admin.on('connection', (socket) => {
    onEvent(socket, 'stats', (_payload, reply) => {
      reply(success({ connected: io.of('/').sockets.size, options: pollOptions.length }));
    });
  });
}

/** Compares in constant time, so the response time does not leak how much of the token matched. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
