import { randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { AppError, notFound } from '../../../../lib/errors';
import { onEvent } from './acks';
import { authorizeEvents } from './authorize';
import type { RoomsConfig } from './config';
import { expireWithToken } from './expiry';
import { authenticate, type HandshakeData } from './handshake';
import { Conversation, User } from './models';
import { parseConversation, parseDirectMessage, parseMessage, parseRemoval, parseUser } from './payloads';

/** Every socket of a user, on every node: their tabs, their phone. */
export const personalRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

// The same answer whether the conversation does not exist or is someone
// else's: telling them apart would let anyone probe for conversation ids.
const notAMember = (conversationId: string) =>
  new AppError(403, 'conversation.forbidden', `You are not a member of conversation ${conversationId}.`);

/**
 * Conversations over Socket.io: authenticated connections, events checked
 * against the sender's role and quota, rooms joined only by members (checked
 * in MongoDB), direct messages to every tab of a user, and access taken away
 * at once.
 */
export function registerRooms(io: Server, config: RoomsConfig): void {
  io.use(authenticate(config));

  io.on('connection', (socket: Socket) => {
    const { user } = socket.data as HandshakeData;
    const on = (event: string, handler: (payload: unknown) => Promise<unknown>) => onEvent(socket, event, handler, config.log);
    const now = () => new Date(config.clock.now()).toISOString();

    // Joined at once and never left: direct messages, removals and
    // revocations reach every connection of this user through it.
    void socket.join(personalRoom(user.id));
    expireWithToken(socket, config);
    socket.use(authorizeEvents(socket, config));

    on('conversation:join', async (payload) => {
      const { conversationId } = parseConversation(payload);
      // Checked in the database on every join, never from what the client
      // says it is: membership changes while sockets live.
      const member = await Conversation.exists({ _id: conversationId, members: user.id });
      if (!member) throw notAMember(conversationId);
      await socket.join(conversationRoom(conversationId));
      return { conversationId };
    });

    on('conversation:leave', async (payload) => {
      const { conversationId } = parseConversation(payload);
      await socket.leave(conversationRoom(conversationId));
      return { conversationId };
    });

    on('message:send', async (payload) => {
      const { conversationId, text } = parseMessage(payload);
      // Only a socket in the room may write to it: it got there through the
      // membership check, and a removal takes it out again.
      if (!socket.rooms.has(conversationRoom(conversationId))) throw notAMember(conversationId);
      const message = { id: randomUUID(), conversationId, from: user.id, text, at: now() };
      // The room minus this socket: the sender's other tabs get it too.
      socket.to(conversationRoom(conversationId)).emit('message:new', message);
      return message;
    });

    on('dm:send', async (payload) => {
      const { to, text } = parseDirectMessage(payload);
      if (!(await User.exists({ _id: to, revokedAt: null }))) throw new AppError(404, 'user.not_found', `There is no user ${to}.`);
      const message = { id: randomUUID(), from: user.id, to, text, at: now() };
      // Every tab of the recipient, and the sender's other tabs (one emit: a
      // socket in both rooms gets it once).
      socket.to([personalRoom(to), personalRoom(user.id)]).emit('dm:new', message);
      return message;
    });

    on('member:remove', async (payload) => {
      const { conversationId, userId } = parseRemoval(payload);
      // The database first: a join that starts after this fails its check.
      const { matchedCount } = await Conversation.updateOne({ _id: conversationId }, { $pull: { members: userId } });
      if (matchedCount === 0) throw notFound(`Conversation ${conversationId}`);
      // Then the live sockets, every tab, on every node (through the adapter).
      io.in(personalRoom(userId)).socketsLeave(conversationRoom(conversationId));
      io.to(personalRoom(userId)).emit('conversation:removed', { conversationId });
      return { conversationId, userId };
    });

    on('user:revoke', async (payload) => {
      const { userId } = parseUser(payload);
      // Recorded first, so that a reconnect with a still-valid token is refused.
      const { matchedCount } = await User.updateOne({ _id: userId }, { $set: { revokedAt: new Date(config.clock.now()) } });
      if (matchedCount === 0) throw notFound(`User ${userId}`);
      io.in(personalRoom(userId)).disconnectSockets(true);
      return { userId };
    });
  });
}
