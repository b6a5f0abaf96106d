import type { Server } from 'socket.io';
import { ConnectError, connectClient, startSocketServer, type ClientSocket, type ConnectOptions } from '../../../harness';
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

/** Spies on the main namespace's adapter: what was broadcast, and how. */
function recordBroadcasts(io: Server): RecordedBroadcast[] {
  const recorded: RecordedBroadcast[] = [];
  const adapter = io.of('/').adapter;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    recorded.push({ event: (packet.data as unknown[])[0], flags: { ...options.flags } });
    broadcast(packet, options);
  };
  const broadcastWithAck = adapter.broadcastWithAck.bind(adapter);
  adapter.broadcastWithAck = (packet, options, ...rest) => {
    recorded.push({ event: (packet.data as unknown[])[0], flags: { ...options.flags } });
    broadcastWithAck(packet, options, ...rest);
  };
  return recorded;
}

/** The chat on a Socket.io server on port 0, with the kata's server options; closed after the test. */
export async function startChat(overrides: Partial<ChatConfig> = {}) {
  let broadcasts: RecordedBroadcast[] = [];
  const server = await startSocketServer(
    (io) => {
      registerChat(io, { ...config, ...overrides });
      broadcasts = recordBroadcasts(io);
    },
    { options: chatServerOptions },
  );
  return { ...server, broadcasts: () => broadcasts, connect: (options?: ConnectOptions) => connectClient(server, options) };
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
