import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { ServerOptions } from 'socket.io';
import { connectClient, startSocketServer, waitFor, type ClientSocket, type RunningSocketServer } from '../../../harness';
import { readConfig } from '../../../harness/config';
import { createChat } from './src/chat';

/** What the chat acks: `{ ok: true, … }` or `{ ok: false, error: { code, message } }`. */
export interface Reply {
  ok: boolean;
  message?: WireMessage;
  duplicate?: boolean;
  last?: number | null;
  error?: { code: string; message: string; errors?: { field: string }[] };
}

export interface WireMessage {
  room: string;
  offset: number;
  key: string;
  body: string;
  sentAt: string;
}

/**
 * One chat node: the kata's createChat() on its own HTTP and Socket.io server.
 * Several nodes in one spec share MongoDB, as several processes behind a load
 * balancer would; each has its own createChat() state, but they share this
 * process's modules (offsets.spec.ts starts a node with modules of its own).
 */
export async function startChatNode(options: Partial<ServerOptions> = {}): Promise<RunningSocketServer> {
  const chat = createChat({ log: () => {} });
  return startSocketServer((io) => chat.register(io), { app: chat.app, options: { maxHttpBufferSize: 100_000, ...options } });
}

export const newKey = () => randomUUID();

// An ack's safety net: half again the harness's event limit (KATA_EVENT_TIMEOUT_MS, 10 s), as acks
// here wait on MongoDB or Redis too. A run against the starter lowers it: no ack comes there.
const ackTimeoutMs = () => readConfig().eventTimeoutMs * 1.5;

/** Emits and waits for the ack (the timeout is a safety net, not a measurement). */
export function emitAck(socket: ClientSocket, event: string, payload: unknown): Promise<Reply> {
  return socket.timeout(ackTimeoutMs()).emitWithAck(event, payload) as Promise<Reply>;
}

export const send = (socket: ClientSocket, room: string, body: string, key = newKey()) => emitAck(socket, 'send', { room, key, body });

/** A client that has joined `room` (live only, or replaying after `after`). */
export async function member(node: RunningSocketServer, room: string, after?: number): Promise<ClientSocket> {
  const socket = await connectClient(node);
  const reply = await emitAck(socket, 'join', after === undefined ? { room } : { room, after });
  if (!reply.ok) throw new Error(`join ${room} failed: ${JSON.stringify(reply)}`);
  return socket;
}

/** Collects every 'message' a socket receives, in arrival order. */
export function collect(socket: ClientSocket): WireMessage[] {
  const seen: WireMessage[] = [];
  socket.on('message', (message: WireMessage) => seen.push(message));
  return seen;
}

/** Resolves once `seen` holds at least `count` messages (event-driven, no polling). */
export async function untilCount(socket: ClientSocket, seen: WireMessage[], count: number): Promise<void> {
  while (seen.length < count) await waitFor(socket, 'message');
}

export const offsets = (messages: { offset: number }[]) => messages.map((message) => message.offset);
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The messages collection as MongoDB holds it, oldest first. */
export const stored = (room?: string) =>
  mongoose.connection
    .collection<{ room: string; offset: number; key: string; body: string }>('messages')
    .find(room ? { room } : {})
    .sort({ room: 1, offset: 1 })
    .toArray();

/**
 * MongoDB goes away for the app (its connection closes) while `during` runs,
 * and comes back afterwards, whatever happened.
 */
export async function withMongoGone(uri: string, during: () => Promise<void>): Promise<void> {
  await mongoose.disconnect();
  try {
    await during();
  } finally {
    await mongoose.connect(uri);
  }
}

/** Waits for the kata's models to build their indexes, so the first test meets them too. */
export async function indexesBuilt(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
}
