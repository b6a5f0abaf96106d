import { timingSafeEqual } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { failure, onEvent, success } from './ack';
import { pollOptions } from './validate';

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
export function registerChat(io: Server, _config: ChatConfig): void {
  const admin = io.of('/admin');

  io.on('connection', (socket: Socket) => {
    onEvent(socket, 'message:send', (_payload, reply) => {
      // TODO: validate with parseMessage; send message:new ({ id, text, from, at }) to everyone but the sender,
      // asking each recipient to confirm within config.deliveryTimeoutMs, then tell the sender with
      // message:delivered ({ id, delivered }); audit it on /admin; ack { id } without waiting for anyone.
      reply(failure('not_implemented', 'message:send is not implemented yet.'));
    });

    onEvent(socket, 'file:share', (_payload, reply) => {
      // TODO: validate with parseFile; send file:shared ({ name, data, from }) to the others; ack { bytes }.
      reply(failure('not_implemented', 'file:share is not implemented yet.'));
    });

    onEvent(socket, 'poll:vote', (_payload, reply) => {
      // TODO: validate with parseVote; count the vote (in a { a, b, c } record kept per server); send poll:results (the totals) to everyone; ack { option }.
      reply(failure('not_implemented', 'poll:vote is not implemented yet.'));
    });

    socket.on('typing', () => {
      // TODO: relay typing ({ from }) to the others, as a volatile event.
    });

    // TODO: answer an unknown event that asks for an ack with an event.unknown error (socket.onAny).
  });

  // TODO: let into /admin only the clients whose handshake auth.token is config.adminToken;
  // refuse the others with a connect_error whose data is { code: 'auth.forbidden', message }.

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
