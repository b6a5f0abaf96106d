import type { Event, Socket } from 'socket.io';
import type { RoomsConfig } from './config';
import type { Role } from './models';

interface EventRule {
  /** The roles that may send the event. */
  roles: readonly Role[];
  /** Counted against the socket's message quota. */
  limited?: boolean;
}

const everyone: readonly Role[] = ['guest', 'member', 'admin'];
const writers: readonly Role[] = ['member', 'admin'];

/** Every event a client may send, and who may send it; anything else is unknown. */
export const eventRules: Readonly<Record<string, EventRule>> = {
  'conversation:join': { roles: everyone },
  'conversation:leave': { roles: everyone },
  'message:send': { roles: writers, limited: true },
  'dm:send': { roles: writers, limited: true },
  'member:remove': { roles: ['admin'] },
  'user:revoke': { roles: ['admin'] },
};

/**
 * The `socket.use()` middleware: runs before any handler for every incoming
 * event. A refused event is answered through its ack and goes no further.
 */
export function authorizeEvents(socket: Socket, config: RoomsConfig) {
  return ([event]: Event, next: (error?: Error) => void) => {
    // TODO: answer through the event's ack (its last argument, if a function)
    // event.unknown for an event not in eventRules, auth.forbidden for a role
    // not allowed, rate_limit.exceeded (with retryAfterMs) for a limited event
    // over this socket's quota (createSocketLimiter); call next() otherwise.
    void [socket, config, event];
    next();
  };
}
