/*
 * Wrong solutions these specs catch:
 * - only the 7-bit length (or the 64-bit one read as 32 bits): 126+ byte
 *   messages come back garbled or never;
 * - unmasking skipped, or accepting unmasked frames instead of closing 1002;
 * - one TCP chunk taken for one frame: frames split across writes, or several
 *   in one write, are lost;
 * - waiting for the bytes a 2^53 header announces instead of closing 1009 on
 *   the header; a size limit per frame that many small fragments slip past;
 * - fragments delivered as separate messages, continuation frames accepted
 *   with nothing to continue, a ping in the middle breaking the message;
 * - UTF-8 validated per fragment (a character split across two fragments is
 *   refused) or not at all (1007 never sent); binary validated as text;
 * - a pong without the ping's payload; control frames over 125 bytes or
 *   fragmented accepted;
 * - a close answered with 1000 instead of the peer's code, or the TCP
 *   connection left open after the close handshake, or frames echoed after it;
 * - no 'error' listener on the socket: a client that resets the connection
 *   crashes the server;
 * - no heartbeat, or one that drops peers that do answer.
 */
import { describe, expect, it } from '@jest/globals';
import { closePayload, encodeFrame, expectNoEvent, Opcode, waitFor, type RawSocket } from '../../../harness';
import { defaults, openRaw, openWs, startEcho } from './echo-fixture';

const text = (payload: string | Buffer, extra: { fin?: boolean; mask?: boolean } = {}) => ({ opcode: Opcode.text, payload, ...extra });

/** Expects the server to close with `code` and then end the TCP connection. */
async function expectClosedWith(raw: RawSocket, code: number) {
  expect((await raw.closeFrame()).code).toBe(code);
  await raw.waitForEnd();
}

/** Proves the server is still serving: a fresh client's message comes back. */
async function expectStillEchoing(wsUrl: string) {
  const ws = await openWs(wsUrl);
  const echoed = waitFor(ws, 'message');
  ws.send('still there?');
  expect(String((await echoed)[0])).toBe('still there?');
}

describe('3. Read frames', () => {
  it.each([
    ['7-bit', 125],
    ['16-bit', 126],
    ['16-bit', 65_535],
    ['64-bit', 65_536],
    ['64-bit', 100_000],
  ])('echoes a binary message with a %s length (%i bytes), byte for byte', async (_form, size) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);
    const payload = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 256));

    await raw.sendFrame({ opcode: Opcode.binary, payload });
    const frame = await raw.nextFrame();

    expect(frame).toMatchObject({ fin: true, opcode: Opcode.binary, masked: false });
    expect(frame.payload.equals(payload)).toBe(true);
  });

  it('echoes text as text and binary as binary to the ws client', async () => {
    const { wsUrl } = await startEcho();
    const ws = await openWs(wsUrl);

    const first = waitFor(ws, 'message');
    ws.send('héllo ✓ 👋');
    const [textData, textIsBinary] = await first;
    const second = waitFor(ws, 'message');
    ws.send(Buffer.from([0, 255, 1, 254]));
    const [binaryData, binaryIsBinary] = await second;

    expect([String(textData), textIsBinary]).toEqual(['héllo ✓ 👋', false]);
    expect([Buffer.from(binaryData).equals(Buffer.from([0, 255, 1, 254])), binaryIsBinary]).toEqual([true, true]);
  });

  it('reads a frame that arrives one byte per TCP write, and three frames in one write', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    for (const byte of encodeFrame(text('slow'))) await raw.send(Buffer.from([byte]));
    await raw.send(Buffer.concat(['a', 'b', 'c'].map((letter) => encodeFrame(text(letter)))));
    const frames = [await raw.nextFrame(), await raw.nextFrame(), await raw.nextFrame(), await raw.nextFrame()];

    expect(frames.map((frame) => frame.payload.toString())).toEqual(['slow', 'a', 'b', 'c']);
  });

  it('keeps 500 messages sent in one burst, in order', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);
    const messages = Array.from({ length: 500 }, (_, i) => `message ${i}`);

    await raw.send(Buffer.concat(messages.map((message) => encodeFrame(text(message)))));
    const echoed: string[] = [];
    for (let i = 0; i < messages.length; i++) echoed.push((await raw.nextFrame()).payload.toString());

    expect(echoed).toEqual(messages);
  });

  it('closes with 1002 when a client sends an unmasked frame, and stays up', async () => {
    const { url, wsUrl } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame(text('hi', { mask: false }));

    await expectClosedWith(raw, 1002);
    expect(raw.frames.filter((frame) => frame.opcode === Opcode.text)).toEqual([]);
    await expectStillEchoing(wsUrl);
  });

  it.each([
    ['an RSV bit set without an extension', { opcode: Opcode.text, payload: 'x', rsv: 4 }],
    ['an unknown data opcode (3)', { opcode: 0x3, payload: 'x' }],
    ['an unknown control opcode (0xB)', { opcode: 0xb, payload: 'x' }],
  ])('closes with 1002 on %s', async (_what, frame) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame(frame);

    await expectClosedWith(raw, 1002);
  });
});

describe('4. Assemble messages and enforce limits', () => {
  it('delivers a message sent in three fragments as one message', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame(text('Hel', { fin: false }));
    await raw.sendFrame({ opcode: Opcode.continuation, payload: 'lo, ', fin: false });
    await raw.sendFrame({ opcode: Opcode.continuation, payload: 'world' });
    const frame = await raw.nextFrame();

    expect(frame).toMatchObject({ fin: true, opcode: Opcode.text });
    expect(frame.payload.toString()).toBe('Hello, world');
  });

  it('answers a ping sent between two fragments, and still delivers the whole message', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.binary, payload: Buffer.from([1, 2]), fin: false });
    await raw.sendFrame({ opcode: Opcode.ping, payload: 'mid' });
    await raw.sendFrame({ opcode: Opcode.continuation, payload: Buffer.from([3]) });
    const [pong, message] = [await raw.nextFrame(), await raw.nextFrame()];

    expect([pong.opcode, pong.payload.toString()]).toEqual([Opcode.pong, 'mid']);
    expect([message.opcode, [...message.payload]]).toEqual([Opcode.binary, [1, 2, 3]]);
  });

  it('accepts a character whose UTF-8 bytes are split across two fragments', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);
    const snowman = Buffer.from('☃', 'utf8');

    await raw.sendFrame(text(Buffer.concat([Buffer.from('a'), snowman.subarray(0, 1)]), { fin: false }));
    await raw.sendFrame({ opcode: Opcode.continuation, payload: Buffer.concat([snowman.subarray(1), Buffer.from('b')]) });

    expect((await raw.nextFrame()).payload.toString()).toBe('a☃b');
  });

  it.each([
    ['a lone continuation frame', [{ opcode: Opcode.continuation, payload: 'x' }]],
    ['a new text frame inside a fragmented message', [text('a', { fin: false }), text('b')]],
  ])('closes with 1002 on %s', async (_what, frames) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    for (const frame of frames) await raw.sendFrame(frame);

    await expectClosedWith(raw, 1002);
    expect(raw.frames.filter((frame) => frame.opcode === Opcode.text)).toEqual([]);
  });

  it.each([
    ['a text message', [text(Buffer.from([0x68, 0xc3, 0x28]))]],
    ['an overlong encoding', [text(Buffer.from([0xc0, 0xaf]))]],
    ['a surrogate half', [text(Buffer.from([0xed, 0xa0, 0x80]))]],
    ['the last fragment of a message', [text('ok', { fin: false }), { opcode: Opcode.continuation, payload: Buffer.from([0xff]) }]],
    ['a message that ends mid-character', [text(Buffer.from([0xe2, 0x98]))]],
  ])('closes with 1007 on invalid UTF-8 in %s, and echoes nothing', async (_what, frames) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    for (const frame of frames) await raw.sendFrame(frame);

    await expectClosedWith(raw, 1007);
    expect(raw.frames.filter((frame) => frame.opcode === Opcode.text)).toEqual([]);
  });

  it('echoes the same bytes untouched when they come as a binary message', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.binary, payload: Buffer.from([0xc0, 0xaf, 0xff]) });

    expect([...(await raw.nextFrame()).payload]).toEqual([0xc0, 0xaf, 0xff]);
  });

  it('accepts a message of exactly the limit and closes with 1009 one byte over it', async () => {
    const { url } = await startEcho();
    const atLimit = await openRaw(url);
    const overLimit = await openRaw(url);

    await atLimit.sendFrame({ opcode: Opcode.binary, payload: Buffer.alloc(defaults.maxMessageBytes, 1) });
    await overLimit.sendFrame({ opcode: Opcode.binary, payload: Buffer.alloc(defaults.maxMessageBytes + 1, 1) });

    expect((await atLimit.nextFrame()).payload.length).toBe(defaults.maxMessageBytes);
    await expectClosedWith(overLimit, 1009);
  });

  it('closes with 1009 when fragments, each small, add up to more than the limit', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);
    const fragment = Buffer.alloc(30_000, 1);

    await raw.sendFrame({ opcode: Opcode.binary, payload: fragment, fin: false });
    for (let i = 0; i < 3; i++) await raw.sendFrame({ opcode: Opcode.continuation, payload: fragment, fin: i === 2 });

    await expectClosedWith(raw, 1009);
    expect(raw.frames.filter((frame) => frame.opcode === Opcode.binary)).toEqual([]);
  });

  it('closes with 1009 on a header announcing 2^53 bytes, without waiting for them', async () => {
    const { url, wsUrl } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.binary, declaredLength: 2n ** 53n });

    await expectClosedWith(raw, 1009);
    await expectStillEchoing(wsUrl);
  });

  it('closes with 1002 on a 64-bit length with its most significant bit set', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.binary, declaredLength: 2n ** 63n + 5n });

    await expectClosedWith(raw, 1002);
  });

  it('closes the ws client with 1009 when it sends too much', async () => {
    const { wsUrl } = await startEcho();
    const ws = await openWs(wsUrl);
    const closed = waitFor(ws, 'close');

    ws.send(Buffer.alloc(defaults.maxMessageBytes + 1));

    expect((await closed)[0]).toBe(1009);
  });
});

describe('5. Control frames, closing and the heartbeat', () => {
  it.each([
    ['a payload', Buffer.from('are you there?')],
    ['no payload', Buffer.alloc(0)],
    ['125 bytes, the most a control frame carries', Buffer.alloc(125, 9)],
  ])('answers a ping with %s with a pong carrying the same bytes', async (_what, payload) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.ping, payload });
    const pong = await raw.nextFrame();

    expect(pong.opcode).toBe(Opcode.pong);
    expect(pong.payload.equals(payload)).toBe(true);
  });

  it('answers the ws client\'s ping with its payload', async () => {
    const { wsUrl } = await startEcho();
    const ws = await openWs(wsUrl);
    const pong = waitFor(ws, 'pong');

    ws.ping(Buffer.from('ws-ping'));

    expect(String((await pong)[0])).toBe('ws-ping');
  });

  it.each([
    ['a ping of 126 bytes', { opcode: Opcode.ping, payload: Buffer.alloc(126) }],
    ['a fragmented ping', { opcode: Opcode.ping, payload: 'x', fin: false }],
    ['a close frame with a 1-byte payload', { opcode: Opcode.close, payload: Buffer.from([3]) }],
    ['a close code that may not be sent (1005)', { opcode: Opcode.close, payload: closePayload(1005) }],
    ['a close code outside every range (999)', { opcode: Opcode.close, payload: closePayload(999) }],
  ])('closes with 1002 on %s', async (_what, frame) => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame(frame);

    await expectClosedWith(raw, 1002);
  });

  it.each([[1000], [1001], [4001]])('echoes the code of a client\'s close (%i), then ends the connection', async (code) => {
    const { url, endpoint } = await startEcho();
    const raw = await openRaw(url);
    const disconnected = waitFor(endpoint, 'disconnect');

    await raw.sendFrame({ opcode: Opcode.close, payload: closePayload(code, 'bye') });

    await expectClosedWith(raw, code);
    await disconnected;
    expect(endpoint.clients.size).toBe(0);
  });

  it('answers an empty close with a close, and ends the connection', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.sendFrame({ opcode: Opcode.close });

    expect([undefined, 1000]).toContain((await raw.closeFrame()).code);
    await raw.waitForEnd();
  });

  it('completes the close handshake the ws client starts', async () => {
    const { wsUrl } = await startEcho();
    const ws = await openWs(wsUrl);
    const closed = waitFor(ws, 'close');

    ws.close(4000, 'done');

    expect((await closed)[0]).toBe(4000);
  });

  it('echoes nothing sent after a close frame', async () => {
    const { url } = await startEcho();
    const raw = await openRaw(url);

    await raw.send(Buffer.concat([encodeFrame({ opcode: Opcode.close, payload: closePayload(1000) }), encodeFrame(text('too late'))]));
    await raw.waitForEnd();

    expect(raw.frames.map((frame) => frame.opcode)).toEqual([Opcode.close]);
  });

  it('forgets a client that vanishes without a close, and one that resets the connection, and stays up', async () => {
    const { url, wsUrl, endpoint } = await startEcho();
    const vanishing = await openRaw(url);
    const resetting = await openRaw(url);
    await resetting.sendFrame({ opcode: Opcode.binary, payload: Buffer.alloc(1000), fin: false });
    // One 'disconnect' per departure, each within the harness's event limit: a client kept
    // forever fails here, by name, rather than at Jest's test timeout.
    const bothGone = (async () => {
      while (endpoint.clients.size > 0) await waitFor(endpoint, 'disconnect');
    })();

    await vanishing.close();
    await resetting.reset();
    await bothGone;

    await expectStillEchoing(wsUrl);
  });

  describe('the heartbeat', () => {
    it('drops a peer that stops answering pings', async () => {
      const { url, endpoint } = await startEcho({ heartbeatMs: 50 });
      const silent = await openRaw(url);
      const disconnected = waitFor(endpoint, 'disconnect');

      const firstPing = await silent.nextFrame();
      await silent.waitForEnd();

      expect(firstPing.opcode).toBe(Opcode.ping);
      await disconnected;
      expect(endpoint.clients.size).toBe(0);
    });

    it('keeps a peer that answers, ping after ping', async () => {
      // A beat long enough for a pong to come back on a loaded machine: server
      // and client share one event loop here, and a timer can run before the
      // socket is read.
      const { wsUrl, endpoint } = await startEcho({ heartbeatMs: 1_000 });
      const ws = await openWs(wsUrl);

      for (let i = 0; i < 3; i++) await waitFor(ws, 'ping');
      await expectNoEvent(ws, 'close', { whileDoing: () => {} });

      expect(ws.readyState).toBe(ws.OPEN);
      expect(endpoint.clients.size).toBe(1);
    });
  });
});
