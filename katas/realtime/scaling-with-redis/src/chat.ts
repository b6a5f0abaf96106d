import type { Server, Socket } from 'socket.io';
import type { Presence } from './presence';

export interface ChatNodeOptions {
  /** This node's name, told to clients so they (and specs) can see where they landed. */
  nodeId: string;
  presence: Presence;
  /** How long to wait for the other nodes' answers (fetchSockets, serverSideEmitWithAck). */
  clusterTimeoutMs?: number;
}

type ErrorAck = { ok: false; error: { code: string; message: string } };
type Reply = (answer: ({ ok: true } & Record<string, unknown>) | ErrorAck) => void;

const namePattern = /^[\w-]{1,32}$/;
const replyTo = (ack: unknown): Reply => (typeof ack === 'function' ? (ack as Reply) : () => {});
const fail = (code: string, message: string): ErrorAck => ({ ok: false, error: { code, message } });
const invalid = (field: string, rule: string) => fail('validation.failed', `${field} ${rule}.`);

/** The `room` of a payload, or undefined when the payload or the room is malformed. */
function roomOf(payload: unknown): string | undefined {
  const room = (payload as { room?: unknown } | null)?.room;
  return typeof room === 'string' && namePattern.test(room) ? room : undefined;
}

/**
 * A chat node meant to run as one of several behind a load balancer. Nothing
 * here knows how many nodes there are: broadcasts, `fetchSockets()`,
 * `disconnectSockets()` and `serverSideEmit` go through the adapter, which
 * makes them cluster-wide once it is the Redis adapter.
 */
export function registerChat(io: Server, { nodeId, presence, clusterTimeoutMs = 5_000 }: ChatNodeOptions): void {
  io.use((socket, next) => {
    const user = (socket.handshake.auth as { user?: unknown } | undefined)?.user;
    if (typeof user !== 'string' || !namePattern.test(user)) {
      return next(Object.assign(new Error('Connect with auth: { user }.'), { data: { code: 'auth.user_missing' } }));
    }
    socket.data.user = user;
    next();
  });

  // TODO: answer the other nodes' question "how many connections do you hold?".

  io.on('connection', (socket: Socket) => {
    const user = socket.data.user as string;
    // A personal room, so "every connection of this user" is addressable from any node.
    void socket.join(`user:${user}`);
    void presence.connected(user);
    socket.on('disconnect', () => void presence.disconnected(user));

    socket.on('join', async (payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      const room = roomOf(payload);
      if (!room) return reply(invalid('room', 'must be 1–32 letters, digits, _ or -'));
      await socket.join(room);
      reply({ ok: true, room, node: nodeId });
    });

    socket.on('say', (payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      const room = roomOf(payload);
      const text = (payload as { text?: unknown } | null)?.text;
      if (!room) return reply(invalid('room', 'must be 1–32 letters, digits, _ or -'));
      if (typeof text !== 'string' || text.length === 0 || text.length > 1_000) return reply(invalid('text', 'must be 1–1,000 characters'));
      // Through the adapter: this node's members get it at once, the others'
      // through Redis. With Redis down, this node's members still get it.
      io.to(room).emit('said', { room, text, from: user, node: nodeId });
      reply({ ok: true });
    });

    socket.on('who', async (payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      const room = roomOf(payload);
      if (!room) return reply(invalid('room', 'must be 1–32 letters, digits, _ or -'));
      // TODO: the users in `room` on every node, each once, sorted (ask the
      // adapter, and answer cluster.unavailable when a node does not reply
      // within clusterTimeoutMs).
      void clusterTimeoutMs;
      const members = io.of('/').adapter.rooms.get(room) ?? new Set<string>();
      const users = [...members].map((id) => io.of('/').sockets.get(id)?.data.user as string);
      reply({ ok: true, room, users: [...new Set(users)].sort() });
    });

    socket.on('stats', async (_payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      // TODO: every node's connection count (serverSideEmitWithAck reaches the others).
      reply({ ok: true, nodes: 1, connections: io.of('/').sockets.size });
    });

    socket.on('kick', async (payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      const target = (payload as { user?: unknown } | null)?.user;
      if (typeof target !== 'string' || !namePattern.test(target)) return reply(invalid('user', 'must be a user name'));
      // TODO: every connection of that user, on every node.
      for (const member of io.of('/').sockets.values()) if (member.data.user === target) member.disconnect(true);
      reply({ ok: true });
    });

    socket.on('online', async (_payload: unknown, ack: unknown) => {
      const reply = replyTo(ack);
      try {
        reply({ ok: true, users: await presence.online() });
      } catch {
        reply(fail('presence.unavailable', 'Presence cannot be read right now; try again.'));
      }
    });
  });
}
