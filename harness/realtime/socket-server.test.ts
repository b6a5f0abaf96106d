import { describe, expect, it } from '@jest/globals';
import { connectClient, ConnectError } from './client';
import { waitFor, expectNoEvent, EventAssertionError } from './events';
import { startSocketServer, type RunningSocketServer } from './socket-server';
import type { ClientSocket } from './client';

function echo(io: RunningSocketServer['io']) {
  io.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack?: (reply: unknown) => void) => ack?.(payload));
    socket.on('shout', (payload: unknown, ack?: () => void) => {
      socket.broadcast.emit('shout', payload);
      ack?.();
    });
  });
}

describe('startSocketServer()', () => {
  it('serves Socket.io on a free port and hands io to setup', async () => {
    const server = await startSocketServer(echo);
    const client = await connectClient(server);

    const reply = await client.timeout(5_000).emitWithAck('echo', { n: 1 });

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(reply).toEqual({ n: 1 });
  });

  it('serves the other HTTP requests with the app it is given', async () => {
    const server = await startSocketServer(echo, { app: (_req, res) => res.end('plain http') });

    expect(await (await fetch(`${server.url}/health`)).text()).toBe('plain http');
  });

  let previous: { server: RunningSocketServer; client: ClientSocket } | undefined;
  it('closes what a test opened once the test ends', async () => {
    const server = await startSocketServer(echo, { options: { transports: ['polling', 'websocket'] } });
    const client = await connectClient(server, { transports: ['polling'] });
    previous = { server, client };
    expect(client.connected).toBe(true);
  });

  it('(the previous test\'s server and client are closed)', () => {
    expect(previous?.server.server.listening).toBe(false);
    expect(previous?.client.connected).toBe(false);
  });

  it('closes even when a client never answers the WebSocket close', async () => {
    const server = await startSocketServer(echo);
    const client = await connectClient(server);
    // Mute the client: it keeps the TCP connection but reads nothing more.
    (client.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();

    await server.close();

    expect(server.server.listening).toBe(false);
  });
});

describe('connectClient()', () => {
  it('rejects with the server\'s connect_error and its data', async () => {
    const server = await startSocketServer((io) => {
      io.use((socket, next) => next(Object.assign(new Error('no token'), { data: { code: 'auth.token_missing' } })));
    });

    const refused = connectClient(server);

    await expect(refused).rejects.toBeInstanceOf(ConnectError);
    await expect(refused).rejects.toMatchObject({ data: { code: 'auth.token_missing' } });
  });

  it('connects to a namespace', async () => {
    const server = await startSocketServer((io) => io.of('/admin').on('connection', (socket) => socket.emit('hello', socket.nsp.name)));
    const client = await connectClient(server, { namespace: '/admin', connect: false });
    const hello = waitFor(client, 'hello');

    client.connect();

    expect(await hello).toEqual(['/admin']);
  });

  it('gives every client its own connection (forceNew)', async () => {
    const server = await startSocketServer(echo);
    const [a, b] = await Promise.all([connectClient(server), connectClient(server)]);

    expect(a.io).not.toBe(b.io);
    expect(server.io.of('/').sockets.size).toBe(2);
  });
});

describe('waitFor()', () => {
  it('resolves with every argument of the event', async () => {
    const server = await startSocketServer((io) => io.on('connection', (socket) => socket.on('ready', () => socket.emit('pair', 1, 'two'))));
    const client = await connectClient(server);
    const pair = waitFor(client, 'pair');

    client.emit('ready');

    expect(await pair).toEqual([1, 'two']);
  });

  it('rejects naming the event when it does not come in time', async () => {
    const server = await startSocketServer(echo);
    const client = await connectClient(server);

    await expect(waitFor(client, 'never-sent', { timeoutMs: 50 })).rejects.toThrow(/"never-sent"/);
  });

  it('rejects at once, naming the event, when the socket disconnects first', async () => {
    const server = await startSocketServer((io) => io.on('connection', (socket) => socket.on('bye', () => socket.disconnect(true))));
    const client = await connectClient(server);
    const waiting = waitFor(client, 'message', { timeoutMs: 60_000 });

    client.emit('bye');

    await expect(waiting).rejects.toThrow(/disconnected .*"message"/);
  });
});

describe('expectNoEvent()', () => {
  it('passes when the action causes no event on the socket', async () => {
    const server = await startSocketServer(echo);
    const [alice, bob] = await Promise.all([connectClient(server), connectClient(server)]);

    await expectNoEvent(alice, 'shout', { whileDoing: () => alice.timeout(5_000).emitWithAck('shout', 'hi') });
    expect(bob.connected).toBe(true);
  });

  it('fails, naming the event, when the action causes it, even with no ack to wait for', async () => {
    const server = await startSocketServer(echo);
    const [alice, bob] = await Promise.all([connectClient(server), connectClient(server)]);

    const check = expectNoEvent(bob, 'shout', { whileDoing: () => alice.emit('shout', 'hi') });

    // alice's emit has no ack: only the ordering round trip on bob's connection
    // can see the broadcast, which the server handled before answering it.
    await expect(check).rejects.toThrow(EventAssertionError);
    await expect(check).rejects.toThrow(/"shout" arrived 1 time/);
  });
});
