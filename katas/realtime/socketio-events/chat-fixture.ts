import type { Server } from 'socket.io';
import { ConnectError, closeWithScope, connectClient, startSocketServer, type ClientSocket, type ConnectOptions } from '../../../harness';
import { readConfig } from '../../../harness/config';
import { registerChat, type ChatConfig } from './src/chat';
import { chatServerOptions } from './src/server-options';

export const adminToken = 'admin-token-for-the-specs-0123456789';
export const config: ChatConfig = { deliveryTimeoutMs: 5_000, adminToken };

/** Events broadcast through the main namespace's adapter, with their flags (volatile…). */
export interface RecordedBroadcast {
  event: unknown;
  flags: Record<string, unknown>;
}

/**
 * Spies on the main namespace's adapter: what was broadcast, and how. `settle()` answers,
 * for the recipients that never did, every broadcast still waiting for acks: Socket.io
 * keeps such a broadcast's timer (deliveryTimeoutMs) until each recipient answered, even
 * once the server is closed, and a test that ends sooner (a client that does not ack, or
 * whose ack is still on its way) left timers that kept the test process from exiting.
 */
function recordBroadcasts(io: Server): { recorded: RecordedBroadcast[]; settle(): void } {
  const recorded: RecordedBroadcast[] = [];
  const waiting = new Set<{ expected: number; answered: number; answer: (response: unknown) => void }>();
  const adapter = io.of('/').adapter;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    recorded.push({ event: (packet.data as unknown[])[0], flags: { ...options.flags } });
    broadcast(packet, options);
  };
  const broadcastWithAck = adapter.broadcastWithAck.bind(adapter);
  adapter.broadcastWithAck = (packet, options, clientCountCallback, ack) => {
    recorded.push({ event: (packet.data as unknown[])[0], flags: { ...options.flags } });
    const broadcastAcks = { expected: 0, answered: 0, answer: ack };
    waiting.add(broadcastAcks);
    broadcastWithAck(
      packet,
      options,
      (count) => {
        broadcastAcks.expected = count;
        clientCountCallback(count);
      },
      (response) => {
        broadcastAcks.answered += 1;
        if (broadcastAcks.answered >= broadcastAcks.expected) waiting.delete(broadcastAcks);
        ack(response);
      },
    );
  };
  // An answer of `undefined`, as the specs' clients give (they call ack() without arguments).
  const settle = () => {
    for (const broadcastAcks of waiting) {
      for (let i = broadcastAcks.answered; i < broadcastAcks.expected; i++) broadcastAcks.answer(undefined);
    }
    waiting.clear();
  };
  return { recorded, settle };
}

/** The chat on a Socket.io server on port 0, with the kata's server options; closed after the test. */
export async function startChat(overrides: Partial<ChatConfig> = {}) {
  let broadcasts: ReturnType<typeof recordBroadcasts> = { recorded: [], settle: () => {} };
  const server = await startSocketServer(
    (io) => {
      registerChat(io, { ...config, ...overrides });
      broadcasts = recordBroadcasts(io);
    },
    { options: chatServerOptions },
  );
  // Settled when the test ends, just before the server closes (the last opened closes first).
  closeWithScope({ close: async () => broadcasts.settle() });
  return { ...server, broadcasts: () => broadcasts.recorded, connect: (options?: ConnectOptions) => connectClient(server, options) };
}

/** Connects `n` clients that acknowledge every `message:new` (as a well-behaved app does). */
export async function connectMany(chat: { connect: (options?: ConnectOptions) => Promise<ClientSocket> }, n: number) {
  const clients = await Promise.all(Array.from({ length: n }, () => chat.connect()));
  for (const client of clients) client.on('message:new', (_message: unknown, ack?: () => void) => ack?.());
  return clients;
}

/** An emitWithAck with a generous safety-net timeout (never a measurement). */
export const ask = (socket: ClientSocket, event: string, ...args: unknown[]) => socket.timeout(readConfig().eventTimeoutMs).emitWithAck(event, ...args);

/** The `data` of the connect_error a connection attempt must end with; fails if it connected. */
export async function refusal(connecting: Promise<ClientSocket>): Promise<unknown> {
  let socket: ClientSocket;
  try {
    socket = await connecting;
  } catch (error) {
    if (error instanceof ConnectError) return error.data;
    throw error;
  }
  socket.disconnect();
  throw new Error('expected a connect_error, but the client connected');
}
