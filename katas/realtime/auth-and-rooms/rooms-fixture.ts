import http from 'node:http';
import jwt, { type Algorithm } from 'jsonwebtoken';
import type { Server } from 'socket.io';
import { ConnectError, connectClient, startSocketServer, type ClientSocket, type ConnectOptions, type RunningSocketServer } from '../../../harness';
import { readConfig } from '../../../harness/config';
import type { Clock, RoomsConfig } from './src/config';
import { Conversation, User } from './src/models';
import { serverOptions } from './src/origin';
import { registerRooms } from './src/rooms';

/** The access tokens of phase 2, as the specs' auth service issues them. */
export const jwtConfig = { secret: 'rooms-kata-spec-secret-0123456789abcdef01', issuer: 'https://auth.kata.test', audience: 'kata-api', clockToleranceSeconds: 5 };
export const appOrigin = 'https://app.example';

export type ManualClock = Clock & { advance(ms: number): void; pending(): number };

/**
 * A clock the spec moves by hand: `advance()` runs, in order, every task
 * scheduled up to the new time. It starts in 2021, so code that reads the wall
 * clock instead of this one sees every token as long expired.
 */
export function manualClock(start = Date.parse('2021-06-01T12:00:00Z')): ManualClock {
  let now = start;
  let tasks: { at: number; task: () => void }[] = [];
  return {
    now: () => now,
    schedule(ms, task) {
      const entry = { at: now + Math.max(0, ms), task };
      tasks.push(entry);
      return () => {
        tasks = tasks.filter((t) => t !== entry);
      };
    },
    advance(ms) {
      now += ms;
      for (;;) {
        const due = tasks.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        tasks = tasks.filter((t) => t !== due);
        due.task();
      }
    },
    pending: () => tasks.length,
  };
}

/** The people of the specs: `gus` is a guest, `ada` an admin, `rex` was revoked. */
export const people = {
  alice: { name: 'Alice', role: 'member' },
  bob: { name: 'Bob', role: 'member' },
  carol: { name: 'Carol', role: 'member' },
  gus: { name: 'Gus', role: 'guest' },
  ada: { name: 'Ada', role: 'admin' },
  rex: { name: 'Rex', role: 'member' },
} as const;
export type Person = keyof typeof people;

/** Users, and two conversations: `team` (alice, bob, gus, ada) and `secret` (carol). Call in beforeEach. */
export async function seed(clock: Clock = manualClock()): Promise<void> {
  await User.insertMany(
    Object.entries(people).map(([id, person]) => ({ _id: id, ...person, revokedAt: id === 'rex' ? new Date(clock.now()) : null })),
  );
  await Conversation.insertMany([
    { _id: 'team', title: 'The team', members: ['alice', 'bob', 'gus', 'ada'] },
    { _id: 'secret', title: 'Carol alone', members: ['carol'] },
  ]);
}

export interface TokenOptions {
  /** Lifetime from the clock's now, in seconds (negative: already expired). */
  ttlSeconds?: number;
  secret?: string;
  algorithm?: Algorithm;
  issuer?: string;
  audience?: string;
  /** Extra or replaced claims (`exp: undefined` leaves exp out). */
  claims?: Record<string, unknown>;
}

/** A signed access token for `sub` at the clock's time, 15 minutes by default. */
export function tokenFor(sub: string, clock: Clock, { ttlSeconds = 900, secret = jwtConfig.secret, algorithm = 'HS256', issuer = jwtConfig.issuer, audience = jwtConfig.audience, claims = {} }: TokenOptions = {}): string {
  const iat = Math.floor(clock.now() / 1000);
  const payload = { sub, iat, exp: iat + ttlSeconds, iss: issuer, aud: audience, ...claims };
  return jwt.sign(JSON.parse(JSON.stringify(payload)) as object, secret, { algorithm });
}

export interface Rooms extends RunningSocketServer {
  clock: ManualClock;
  config: RoomsConfig;
  /** A connected client signed in as `person` (token options for a special token). */
  connectAs(person: string, token?: TokenOptions, options?: ConnectOptions): Promise<ClientSocket>;
  connect(options?: ConnectOptions): Promise<ClientSocket>;
}

/** The kata's rooms server on port 0, with the kata's server options; closed after the test. */
export async function startRooms(overrides: Partial<RoomsConfig> = {}): Promise<Rooms> {
  const clock = manualClock();
  const config: RoomsConfig = {
    jwt: jwtConfig,
    allowedOrigins: [appOrigin, 'http://localhost:5173'],
    rateLimit: { limit: 100, windowMs: 10_000 },
    clock,
    log: () => {},
    ...overrides,
  };
  await seed(config.clock);
  const server = await startSocketServer((io) => registerRooms(io, config), { options: serverOptions(config) });
  const connect = (options?: ConnectOptions) => connectClient(server, options);
  return {
    ...server,
    clock,
    config,
    connect,
    connectAs: (person, token, options) => connect({ auth: { token: tokenFor(person, config.clock, token) }, ...options }),
  };
}

/** `n` connected tabs of one person. */
export const tabsOf = (rooms: Rooms, person: string, n: number) => Promise.all(Array.from({ length: n }, () => rooms.connectAs(person)));

export interface AckReply {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string; field?: string; retryAfterMs?: number };
}

/** An emitWithAck with a generous safety-net timeout (never a measurement). */
export const ask = (socket: ClientSocket, event: string, ...args: unknown[]): Promise<AckReply> =>
  socket.timeout(readConfig().eventTimeoutMs).emitWithAck(event, ...args) as Promise<AckReply>;

/** Joins `conversationId` and fails the test unless the server agreed. */
export async function joined(socket: ClientSocket, conversationId: string): Promise<ClientSocket> {
  const reply = await ask(socket, 'conversation:join', { conversationId });
  if (!reply.ok) throw new Error(`join ${conversationId} refused: ${JSON.stringify(reply)}`);
  return socket;
}

/** The connect_error a connection attempt must end with (its message and data); fails if it connected. */
export async function refusal(connecting: Promise<ClientSocket>): Promise<ConnectError> {
  let socket: ClientSocket;
  try {
    socket = await connecting;
  } catch (error) {
    if (error instanceof ConnectError) return error;
    throw error;
  }
  socket.disconnect();
  throw new Error('expected a connect_error, but the client connected');
}

/** The user ids of the sockets in `room`, server side, sorted. */
export async function inRoom(io: Server, room: string): Promise<string[]> {
  const sockets = await io.in(room).fetchSockets();
  return sockets.map((socket) => (socket.data as { user: { id: string } }).user.id).sort();
}

/** The server's own socket for a client (same id), to watch its events. */
export function serverSide(io: Server, client: ClientSocket) {
  const socket = io.of('/').sockets.get(client.id ?? '');
  if (!socket) throw new Error(`no server socket for ${client.id}`);
  return socket;
}

/** The HTTP answer to an Engine.IO polling handshake sent with `origin`: what a browser's page would get. */
export function pollingHandshake(url: string, origin: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL('/socket.io/?EIO=4&transport=polling', url), { headers: { origin } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    request.on('error', reject);
  });
}
