import { describe, it } from '@jest/globals';
// The system under test, complete and correct: your tests must pass against it.
//   import { io } from 'socket.io-client';
//   import { historyLimit, startChatServer, type ChatServer } from '../src/chat-server';
//   import { createMemoryStore, type ChatMessage, type MessageStore } from '../src/message-store';
// Keep the describe() titles: the grader looks for passing tests under them.
// No sleeps: wait for an event, an ack, or a round trip that comes after what you wait for.

describe('connecting', () => {
  // TODO: a known token connects; an unknown token and no token at all are refused with connect_error "unauthorized".
  it.todo('accepts a known token');
  it.todo('refuses an unknown token, and no token, with connect_error "unauthorized"');
});

describe('rooms', () => {
  // TODO: the join ack and its history; a forbidden room; a message to a room not joined; leave.
  it.todo('answers a join with the last messages of the room, oldest first');
  it.todo('refuses a room the user may not join, and sends it nothing from that room');
  it.todo('refuses a message to a room the sender has not joined');
  it.todo('stops delivering a room once the client left it');
});

describe('messages', () => {
  // TODO: who receives a message (and who does not), what is refused, and when the ack comes.
  it.todo('reaches the other members of the room, from the authenticated sender, and not the sender itself');
  it.todo('stays in its room: a member of another room gets nothing');
  it.todo('refuses an empty, blank, too long or non-string text as invalid, and accepts exactly 500 characters');
  it.todo('acknowledges only once the message is stored');
  it.todo('answers unavailable and broadcasts nothing when the store fails');
});

describe('reconnection', () => {
  // TODO: drop the transport (client.io.engine.close()), send while it is down, and wait for the reconnection.
  it.todo('delivers the messages a client missed while its connection was down, in order');
});
