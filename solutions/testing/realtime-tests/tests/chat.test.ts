import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { historyLimit, startChatServer, type ChatServer } from '../src/chat-server';
import { createMemoryStore, type ChatMessage, type MessageStore } from '../src/message-store';

// Who may join what: the test data, seeded by the server's own options.
const users = {
  'token-ada': { id: 'ada', rooms: ['general', 'ops'] },
  'token-bob': { id: 'bob', rooms: ['general'] },
  'token-cyd': { id: 'cyd', rooms: ['general', 'ops'] },
};
type Token = keyof typeof users;

let server: ChatServer;
const clients: ClientSocket[] = [];

async function start(store?: MessageStore): Promise<void> {
  server = await startChatServer({ users, store });
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server?.close();
});

/** Resolves once connected, rejects with the server's refusal: an event, not a delay. */
function connect(token: string | undefined): Promise<ClientSocket> {
  // A short reconnection delay keeps the reconnection test quick; it waits for the event either way.
  const client = connectClient(server.url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnectionDelay: 20, reconnectionDelayMax: 50 });
  clients.push(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', (error) => {
      client.disconnect();
      reject(error);
    });
  });
}

/** Every `message` event a client receives, in order. */
function inbox(client: ClientSocket): ChatMessage[] {
  const received: ChatMessage[] = [];
  client.on('message', (message: ChatMessage) => received.push(message));
  return received;
}

function nextMessage(client: ClientSocket): Promise<ChatMessage> {
  return new Promise((resolve) => client.once('message', resolve));
}

async function joined(token: Token, ...rooms: string[]): Promise<ClientSocket> {
  const client = await connect(token);
  for (const room of rooms) expect(await client.emitWithAck('join', { room })).toMatchObject({ ok: true });
  return client;
}

/**
 * An acknowledged round trip after everything the server sent this client so far:
 * Socket.io keeps the order of one connection's packets, so once this ack is
 * back, any message the server had emitted to the client has arrived too.
 */
async function flush(client: ClientSocket): Promise<void> {
  await client.emitWithAck('leave', { room: 'no-such-room' });
}

describe('connecting', () => {
  beforeEach(() => start());

  it('accepts a known token', async () => {
    const client = await connect('token-ada');

    expect(client.connected).toBe(true);
  });

  it.each([
    ['an unknown token', 'token-eve'],
    ['no token', undefined],
  ])('refuses %s with connect_error "unauthorized"', async (_case, token) => {
    await expect(connect(token)).rejects.toThrow('unauthorized');
  });
});

describe('rooms', () => {
  beforeEach(() => start());

  it('answers a join with the last messages of the room, oldest first', async () => {
    const ada = await joined('token-ada', 'general');
    for (let i = 1; i <= historyLimit + 2; i++) await ada.emitWithAck('message', { room: 'general', text: `message ${i}` });

    const reply = await (await connect('token-bob')).emitWithAck('join', { room: 'general' });

    expect(reply.ok).toBe(true);
    expect(reply.history.map((message: ChatMessage) => message.text)).toEqual(
      Array.from({ length: historyLimit }, (_, i) => `message ${i + 3}`),
    );
  });

  it('refuses a room the user may not join, and sends it nothing from that room', async () => {
    const bob = await connect('token-bob');
    const bobsInbox = inbox(bob);
    const ada = await joined('token-ada', 'ops');

    const reply = await bob.emitWithAck('join', { room: 'ops' });
    await ada.emitWithAck('message', { room: 'ops', text: 'deploy at noon' });
    await flush(bob);

    expect(reply).toEqual({ ok: false, code: 'forbidden' });
    expect(bobsInbox).toEqual([]);
  });

  it('refuses a message to a room the sender has not joined', async () => {
    const cyd = await joined('token-cyd', 'ops');
    const cydsInbox = inbox(cyd);
    const ada = await connect('token-ada');

    const reply = await ada.emitWithAck('message', { room: 'ops', text: 'hello?' });
    await flush(cyd);

    expect(reply).toEqual({ ok: false, code: 'not_joined' });
    expect(cydsInbox).toEqual([]);
  });

  it('stops delivering a room once the client left it', async () => {
    const bob = await joined('token-bob', 'general');
    const bobsInbox = inbox(bob);
    const ada = await joined('token-ada', 'general');

    expect(await bob.emitWithAck('leave', { room: 'general' })).toEqual({ ok: true });
    await ada.emitWithAck('message', { room: 'general', text: 'after you left' });
    await flush(bob);

    expect(bobsInbox).toEqual([]);
  });
});

describe('messages', () => {
  it('reaches the other members of the room, from the authenticated sender, and not the sender itself', async () => {
    await start();
    const ada = await joined('token-ada', 'general');
    const adasInbox = inbox(ada);
    const bob = await joined('token-bob', 'general');

    const arriving = nextMessage(bob);
    const reply = await ada.emitWithAck('message', { room: 'general', text: 'hi all', from: 'bob' });
    const received = await arriving;
    // Bob answers only after he got Ada's message, so an echo to Ada would come before his answer.
    const answer = nextMessage(ada);
    await bob.emitWithAck('message', { room: 'general', text: 'hi ada' });
    await answer;

    expect(reply).toMatchObject({ ok: true, message: { room: 'general', from: 'ada', text: 'hi all' } });
    expect(received).toEqual(reply.message);
    expect(adasInbox.map((message) => message.text)).toEqual(['hi ada']);
  });

  it('stays in its room: a member of another room gets nothing', async () => {
    await start();
    const ada = await joined('token-ada', 'general', 'ops');
    const cyd = await joined('token-cyd', 'ops');
    const cydsInbox = inbox(cyd);

    await ada.emitWithAck('message', { room: 'general', text: 'general only' });
    await flush(cyd);

    expect(cydsInbox).toEqual([]);
  });

  it.each([
    ['an empty text', { room: 'general', text: '' }],
    ['a blank text', { room: 'general', text: ' \n\t ' }],
    ['a text over 500 characters', { room: 'general', text: 'x'.repeat(501) }],
    ['a text that is not a string', { room: 'general', text: 42 }],
    ['no room', { text: 'hello' }],
  ])('refuses %s as invalid, and stores nothing', async (_case, payload) => {
    await start();
    const ada = await joined('token-ada', 'general');

    const reply = await ada.emitWithAck('message', payload);

    expect(reply).toEqual({ ok: false, code: 'invalid' });
    expect(await server.store.recent('general', 10)).toEqual([]);
  });

  it('accepts a text of exactly 500 characters', async () => {
    await start();
    const ada = await joined('token-ada', 'general');

    expect(await ada.emitWithAck('message', { room: 'general', text: 'x'.repeat(500) })).toMatchObject({ ok: true });
  });

  it('acknowledges only once the message is stored', async () => {
    // A store whose save the test completes by hand: the ack must wait for it.
    const memory = createMemoryStore();
    let finishSave!: () => void;
    const saveStarted = new Promise<void>((started) => {
      memory.save = ((save) => async (message: ChatMessage) => {
        started();
        await new Promise<void>((resolve) => (finishSave = resolve));
        await save(message);
      })(memory.save.bind(memory));
    });
    await start(memory);
    const ada = await joined('token-ada', 'general');
    let acked = false;

    const reply = ada.emitWithAck('message', { room: 'general', text: 'stored first' }).then((answer) => {
      acked = true;
      return answer;
    });
    await saveStarted;
    await flush(ada);
    const ackedBeforeSave = acked;
    finishSave();

    expect(ackedBeforeSave).toBe(false);
    expect(await reply).toMatchObject({ ok: true });
    expect(memory.all().map((message) => message.text)).toEqual(['stored first']);
  });

  it('answers unavailable and broadcasts nothing when the store fails', async () => {
    const failing: MessageStore = {
      save: async () => {
        throw new Error('disk full');
      },
      recent: async () => [],
    };
    await start(failing);
    const ada = await joined('token-ada', 'general');
    const bob = await joined('token-bob', 'general');
    const bobsInbox = inbox(bob);

    const reply = await ada.emitWithAck('message', { room: 'general', text: 'lost?' });
    await flush(bob);

    expect(reply).toEqual({ ok: false, code: 'unavailable' });
    expect(bobsInbox).toEqual([]);
  });
});

describe('reconnection', () => {
  beforeEach(() => start());

  it('delivers the messages a client missed while its connection was down, in order', async () => {
    const bob = await joined('token-bob', 'general');
    const bobsInbox = inbox(bob);
    const ada = await joined('token-ada', 'general');
    // Recovery resumes from the last broadcast a client received: give Bob one first.
    const first = nextMessage(bob);
    await ada.emitWithAck('message', { room: 'general', text: 'before the outage' });
    await first;
    const disconnected = new Promise((resolve) => bob.once('disconnect', resolve));
    const reconnected = new Promise<void>((resolve) => bob.io.once('reconnect', () => resolve()));

    // Drop the transport as a network failure would (not a deliberate disconnect()).
    bob.io.engine.close();
    await disconnected;
    await ada.emitWithAck('message', { room: 'general', text: 'while you were away 1' });
    await ada.emitWithAck('message', { room: 'general', text: 'while you were away 2' });
    await reconnected;
    await flush(bob);

    expect(bob.recovered).toBe(true);
    expect(bobsInbox.map((message) => message.text)).toEqual(['before the outage', 'while you were away 1', 'while you were away 2']);
  });
});
