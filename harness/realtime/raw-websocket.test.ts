import { describe, expect, it } from '@jest/globals';
import { WebSocketServer, WebSocket } from 'ws';
import { startServer } from '../http/start-server';
import { closeWithScope } from '../jest/close-with-scope';
import { expectNoEvent, waitFor } from './events';
import { acceptFor, closePayload, decodeFrames, encodeFrame, Opcode, openRawSocket } from './raw-websocket';

/** `ws` (an independent implementation) as the server the raw client talks to. */
async function startEchoServer() {
  const running = await startServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: running.server, maxPayload: 1024 });
  wss.on('connection', (socket) => {
    socket.on('error', () => {}); // ws reports the protocol errors the specs provoke
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  closeWithScope({ close: () => new Promise<void>((resolve) => wss.close(() => resolve())) });
  return running;
}

describe('encodeFrame() and decodeFrames()', () => {
  it.each([
    ['7-bit', 125, 2],
    ['16-bit', 126, 4],
    ['16-bit', 65_535, 4],
    ['64-bit', 65_536, 10],
  ])('round-trip a %s length (%i bytes)', (_form, size, headerLength) => {
    const payload = Buffer.alloc(size, 7);

    const unmasked = encodeFrame({ opcode: Opcode.binary, payload, mask: false });
    const masked = encodeFrame({ opcode: Opcode.binary, payload });

    expect(unmasked.length).toBe(headerLength + size);
    expect(masked.length).toBe(headerLength + 4 + size);
    expect(decodeFrames(masked).frames).toEqual([{ fin: true, rsv: 0, opcode: Opcode.binary, masked: true, payload }]);
  });

  it('keeps an incomplete frame as the rest', () => {
    const frame = encodeFrame({ opcode: Opcode.text, payload: 'hello', fin: false });

    const { frames, rest } = decodeFrames(frame.subarray(0, frame.length - 1));

    expect(frames).toEqual([]);
    expect(rest.length).toBe(frame.length - 1);
  });

  it('declares a length it does not send, in the 64-bit form', () => {
    const frame = encodeFrame({ opcode: Opcode.binary, declaredLength: 2n ** 53n, mask: false });

    expect(frame[1]).toBe(127);
    expect(frame.readBigUInt64BE(2)).toBe(2n ** 53n);
  });
});

describe('openRawSocket()', () => {
  it('completes a correct handshake and exchanges frames with a real server', async () => {
    const { url } = await startEchoServer();
    const raw = await openRawSocket(url, { headers: { 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' } });

    await raw.sendFrame({ opcode: Opcode.text, payload: 'hel', fin: false });
    await raw.sendFrame({ opcode: Opcode.continuation, payload: 'lo' });
    const frame = await raw.nextFrame();

    expect(raw.response.status).toBe(101);
    expect(raw.response.headers['sec-websocket-accept']).toBe(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='));
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=') // RFC 6455 §1.3's example;
    expect(frame).toMatchObject({ fin: true, opcode: Opcode.text, masked: false });
    expect(frame.payload.toString()).toBe('hello');
  });

  it('returns a refused handshake\'s status and headers', async () => {
    const { url } = await startEchoServer();

    const raw = await openRawSocket(url, { headers: { 'Sec-WebSocket-Version': '7' } });

    expect(raw.response.status).toBe(400);
    expect(raw.response.headers['sec-websocket-version']).toMatch(/\b13\b/);
  });

  it('reads the close code a server answers an unmasked frame with', async () => {
    const { url } = await startEchoServer();
    const raw = await openRawSocket(url);

    await raw.sendFrame({ opcode: Opcode.text, payload: 'hi', mask: false });

    expect((await raw.closeFrame()).code).toBe(1002);
    await raw.waitForEnd();
  });

  it('reads the close code for a 2^53 length, and the echo of a close it starts', async () => {
    const { url } = await startEchoServer();
    const tooBig = await openRawSocket(url);
    const polite = await openRawSocket(url);

    await tooBig.sendFrame({ opcode: Opcode.binary, declaredLength: 2n ** 53n });
    await polite.sendFrame({ opcode: Opcode.close, payload: closePayload(4001, 'done') });

    expect((await tooBig.closeFrame()).code).toBe(1009);
    expect(await polite.closeFrame()).toEqual({ code: 4001, reason: 'done' });
  });

  it('rejects nextFrame at once when the connection ends', async () => {
    const { url } = await startEchoServer();
    const raw = await openRawSocket(url);

    await raw.sendFrame({ opcode: Opcode.text, payload: 'hi', mask: false });
    await raw.closeFrame();

    await expect(raw.nextFrame({ timeoutMs: 60_000 })).rejects.toThrow(/ended before the next frame/);
  });
});

describe('expectNoEvent() on a ws client', () => {
  it('proves absence with a ping and its pong', async () => {
    const { url } = await startEchoServer();
    const client = new WebSocket(url.replace('http', 'ws'));
    closeWithScope({ close: () => client.terminate() });
    await waitFor(client, 'open');

    await expectNoEvent(client, 'message', { whileDoing: () => {} });
    const echoed = waitFor(client, 'message');
    await expect(expectNoEvent(client, 'message', { whileDoing: () => client.send('x') })).rejects.toThrow(/"message" arrived/);
    await echoed;
  });
});
