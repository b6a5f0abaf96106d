import type { Event, Socket } from 'socket.io';
import { AppError, forbidden } from '../../../../lib/errors';
import { ackFrom, failure } from './acks';
import type { RoomsConfig } from './config';
import type { HandshakeData } from './handshake';
import type { Role } from './models';
import { createSocketLimiter } from './rate-limit';

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
 * event. A refused event is answered through its ack and goes no further:
 * neither `next()` (the handler would run) nor `next(err)` (Socket.io would
 * only emit an "error" on the server side, and the client would wait forever).
 */
export function authorizeEvents(socket: Socket, config: RoomsConfig) {
  const { user } = socket.data as HandshakeData;
  // Per socket, created with it: each tab has its own quota.
  const limiter = createSocketLimiter(config.rateLimit, config.clock);

  return ([event, ...args]: Event, next: (error?: Error) => void) => {
    const refuse = (error: AppError) => ackFrom(args.at(-1))(failure(error));
    // An own property only: "constructor" or "__proto__" is not an event we know.
    const rule = Object.hasOwn(eventRules, event) ? eventRules[event] : undefined;
    if (!rule) return refuse(new AppError(400, 'event.unknown', `There is no event "${String(event).slice(0, 60)}".`));
    if (!rule.roles.includes(user.role)) return refuse(forbidden('auth.forbidden', `A ${user.role} may not send ${event}.`));
    if (rule.limited) {
      const { allowed, retryAfterMs } = limiter.take();
      if (!allowed) {
        return refuse(
          new AppError(429, 'rate_limit.exceeded', `Too many messages: retry in ${Math.ceil(retryAfterMs / 1000)} s.`, { details: { retryAfterMs } }),
        );
      }
    }
    next();
  };
}
