import type { Server, Socket } from 'socket.io';
import { AppError } from '../../../../lib/errors';
import { onEvent } from './acks';
import { authorizeEvents } from './authorize';
import type { RoomsConfig } from './config';
import { expireWithToken } from './expiry';
import { authenticate, type HandshakeData } from './handshake';
import { parseConversation } from './payloads';

/** Every socket of a user, on every node: their tabs, their phone. */
export const personalRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

const notImplemented = (event: string) => new AppError(501, 'not_implemented', `${event} is not written yet.`);

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

    // TODO: join this user's personal room, so that direct messages,
    // removals and revocations reach every connection of theirs.
    void user;
    expireWithToken(socket, config);
    socket.use(authorizeEvents(socket, config));

    on('conversation:join', async () => {
      // TODO: parseConversation; join conversationRoom(id) only if the user is
      // one of the conversation's members in MongoDB, else conversation.forbidden
      // (the same answer for a conversation that does not exist); ack { conversationId }.
      throw notImplemented('conversation:join');
    });

    on('conversation:leave', async (payload) => {
      const { conversationId } = parseConversation(payload);
      await socket.leave(conversationRoom(conversationId));
      return { conversationId };
    });

    on('message:send', async () => {
      // TODO: parseMessage; only from a socket in the conversation's room
      // (conversation.forbidden otherwise); send message:new { id,
      // conversationId, from, text, at } to the room but this socket; ack the message.
      throw notImplemented('message:send');
    });

    on('dm:send', async () => {
      // TODO: parseDirectMessage; user.not_found unless `to` is a user who is
      // not revoked; dm:new { id, from, to, text, at } to every tab of the
      // recipient and the sender's other tabs; ack the message.
      throw notImplemented('dm:send');
    });

    on('member:remove', async () => {
      // TODO: parseRemoval; take the user out of the conversation's members in
      // MongoDB (resource.not_found for no such conversation), then take all
      // their sockets out of the room and tell them (conversation:removed
      // { conversationId }); ack { conversationId, userId }.
      throw notImplemented('member:remove');
    });

    on('user:revoke', async () => {
      // TODO: parseUser; record revokedAt in MongoDB (resource.not_found for no
      // such user), then disconnect every socket of the user; ack { userId }.
      throw notImplemented('user:revoke');
    });
  });
}
