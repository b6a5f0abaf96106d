import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { readConfig } from '../config';
import { closeWithScope } from '../jest/close-with-scope';
import { EventAssertionError, waitFor } from './events';

/** RFC 6455 §5.2 opcodes. */
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One WebSocket frame as it travels (RFC 6455 §5.2). */
export interface Frame {
  fin: boolean;
  /** The three RSV bits, as a number 0–7. */
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  /** Default true. */
  fin?: boolean;
  rsv?: number;
  /** `true` (default): a random key, as a client must; `false`: unmasked, as a broken client sends; or the key. */
  mask?: boolean | Buffer;
  /**
   * The length to declare instead of the payload's, e.g. `2n ** 53n` for a
   * frame a server must refuse before buffering; always written in the
   * 64-bit form when given as a bigint.
   */
  declaredLength?: number | bigint;
}

/**
 * Encodes a frame the way a client would (masked by default), or a broken one.
 * Lengths use the shortest form: 7 bits up to 125, 16 bits up to 65535, 64 bits beyond.
 *
 * @example
 *   socket.send(encodeFrame({ opcode: Opcode.text, payload: 'hi', mask: false }));
 *   socket.send(encodeFrame({ opcode: Opcode.binary, declaredLength: 2n ** 53n }));
 */
export function encodeFrame({ opcode, payload = Buffer.alloc(0), fin = true, rsv = 0, mask = true, declaredLength }: FrameSpec): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = declaredLength ?? body.length;
  const maskKey = mask === true ? crypto.randomBytes(4) : mask === false ? undefined : mask;
  let header: Buffer;
  if (typeof length === 'bigint' || length > 0xffff) {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  } else if (length > 125) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(2);
    header[1] = length;
  }
  header[0] = (fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xf);
  if (!maskKey) return Buffer.concat([header, body]);
  header[1]! |= 0x80;
  const masked = Buffer.from(body.map((byte, i) => byte ^ maskKey[i % 4]!));
  return Buffer.concat([header, maskKey, masked]);
}

/** The payload of a close frame: a 2-byte code then a UTF-8 reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

/** Decodes the complete frames at the start of `buffer`; `rest` is what is left of an incomplete one. */
export function decodeFrames(buffer: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset]!;
    const second = buffer[offset + 1]!;
    let length = second & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      headerLength = 10;
    }
    const masked = (second & 0x80) !== 0;
    const maskLength = masked ? 4 : 0;
    const end = offset + headerLength + maskLength + length;
    if (buffer.length < end) break;
    let payload = buffer.subarray(offset + headerLength + maskLength, end);
    if (masked) {
      const key = buffer.subarray(offset + headerLength, offset + headerLength + 4);
      payload = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
    }
    frames.push({ fin: (first & 0x80) !== 0, rsv: (first >> 4) & 0x7, opcode: first & 0xf, masked, payload: Buffer.from(payload) });
    offset = end;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/** A fresh `Sec-WebSocket-Key`: 16 random bytes, base64. */
export function websocketKey(): string {
  return crypto.randomBytes(16).toString('base64');
}

/** The `Sec-WebSocket-Accept` a server must answer for `key` (RFC 6455 §4.2.2). */
export function acceptFor(key: string): string {
  return crypto.createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

export interface HandshakeResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The body of a refused handshake (up to the server's close or its Content-Length). */
  body: string;
}

export interface RawSocketOptions {
  /** Request path, default `/`. */
  path?: string;
  /**
   * Request headers, merged over a correct handshake (Host, Upgrade, Connection,
   * a fresh key, version 13). `null` removes a header.
   */
  headers?: Record<string, string | null>;
  /** Default `GET`. */
  method?: string;
  /** How long the handshake answer may take: a safety net (default `KATA_EVENT_TIMEOUT_MS`, 10 s). */
  timeoutMs?: number;
}

/** What the server said to close with: the code and reason of its close frame. */
export interface CloseResult {
  code: number | undefined;
  reason: string;
}

/**
 * A WebSocket client that sends exactly the bytes you give it, for the
 * specs of what a broken or hostile client does. Emits `frame` for each
 * server frame and `end` when the TCP connection ends.
 */
export class RawSocket extends EventEmitter {
  readonly frames: Frame[] = [];
  private buffered: Buffer = Buffer.alloc(0);
  private ended = false;
  readonly endedPromise: Promise<void>;

  constructor(
    readonly socket: net.Socket,
    readonly response: HandshakeResponse,
    leftover: Buffer,
  ) {
    super();
    this.endedPromise = new Promise<void>((resolve) => {
      socket.once('close', () => {
        this.ended = true;
        this.emit('end');
        resolve();
      });
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => {});
    if (leftover.length > 0) this.receive(leftover);
  }

  private receive(chunk: Buffer) {
    const { frames, rest } = decodeFrames(Buffer.concat([this.buffered, chunk]));
    this.buffered = rest;
    for (const frame of frames) {
      this.frames.push(frame);
      this.emit('frame', frame);
    }
  }

  /** Writes raw bytes (resolves once handed to the OS, or at once if the socket is gone). */
  send(bytes: Buffer): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** Encodes and writes a frame; see {@link encodeFrame}. */
  sendFrame(spec: FrameSpec): Promise<void> {
    return this.send(encodeFrame(spec));
  }

  private taken = 0;

  /** The next server frame not yet taken (frames queue up; each is returned once). */
  nextFrame({ timeoutMs = readConfig().eventTimeoutMs }: { timeoutMs?: number } = {}): Promise<Frame> {
    if (this.taken < this.frames.length) return Promise.resolve(this.frames[this.taken++]!);
    if (this.ended) return Promise.reject(new EventAssertionError('RawSocket: the connection ended before the next frame'));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => settle(new EventAssertionError(`RawSocket: no frame within ${timeoutMs} ms`)), timeoutMs);
      const onFrame = () => settle();
      const onEnd = () => settle(new EventAssertionError('RawSocket: the connection ended before the next frame'));
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.off('frame', onFrame).off('end', onEnd);
        if (error) reject(error);
        else resolve(this.frames[this.taken++]!);
      };
      this.on('frame', onFrame).on('end', onEnd);
    });
  }

  /**
   * Reads frames until the server's close frame and returns its code and
   * reason; rejects, naming what came instead, if the connection ends first.
   */
  async closeFrame({ timeoutMs = readConfig().eventTimeoutMs }: { timeoutMs?: number } = {}): Promise<CloseResult> {
    const skipped: number[] = [];
    for (;;) {
      const frame = await this.nextFrame({ timeoutMs }).catch((error: Error) => {
        throw new EventAssertionError(`${error.message} (waiting for a close frame; opcodes seen: [${skipped.join(', ')}])`);
      });
      if (frame.opcode === Opcode.close) {
        return {
          code: frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined,
          reason: frame.payload.subarray(2).toString('utf8'),
        };
      }
      skipped.push(frame.opcode);
    }
  }

  /** Resolves when the server has ended the TCP connection. */
  async waitForEnd({ timeoutMs = readConfig().eventTimeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.ended) return;
    await waitFor(this, 'end', { timeoutMs });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Resets the connection (TCP RST): the server's next read or write fails with ECONNRESET. */
  reset(): Promise<void> {
    this.socket.resetAndDestroy();
    return this.endedPromise;
  }

  /** Drops the connection without a close frame (a client that vanishes). */
  close(): Promise<void> {
    this.socket.destroy();
    return this.endedPromise;
  }
}

function readHandshake(socket: net.Socket, timeoutMs: number): Promise<{ response: HandshakeResponse; leftover: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;
    const timer = setTimeout(() => finish(new EventAssertionError(`RawSocket: no handshake response within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!head) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        head = { status: Number(statusLine.split(' ')[1]), headers, bodyStart: end + 4 };
      }
      if (head.status === 101) return finish();
      const length = Number(head.headers['content-length']);
      if (Number.isFinite(length) && received.length - head.bodyStart >= length) finish();
    };
    const onClose = () => finish(head ? undefined : new EventAssertionError('RawSocket: the server closed the connection without a response'));
    function finish(error?: Error) {
      clearTimeout(timer);
      socket.off('data', onData).off('close', onClose).off('error', onClose);
      if (error || !head) return reject(error ?? new EventAssertionError('RawSocket: no response'));
      const rest = received.subarray(head.bodyStart);
      if (head.status === 101) resolve({ response: { status: 101, headers: head.headers, body: '' }, leftover: rest });
      else resolve({ response: { status: head.status, headers: head.headers, body: rest.toString('utf8') }, leftover: Buffer.alloc(0) });
    }
    socket.on('data', onData).once('close', onClose).once('error', onClose);
  });
}

/**
 * Opens a TCP connection to `url`, sends a WebSocket handshake (correct by
 * default, or broken through `headers`), and returns the response and, after
 * a 101, a socket that speaks frames. Closed for you after the test.
 *
 * @example
 *   const raw = await openRawSocket(url, { headers: { 'Sec-WebSocket-Version': '8' } });
 *   expect(raw.response.status).toBe(426);
 *
 *   const ws = await openRawSocket(url);
 *   await ws.sendFrame({ opcode: Opcode.text, payload: 'hi', mask: false });
 *   expect((await ws.closeFrame()).code).toBe(1002);
 */
export async function openRawSocket(url: string, { path = '/', headers = {}, method = 'GET', timeoutMs = readConfig().eventTimeoutMs }: RawSocketOptions = {}): Promise<RawSocket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  const tracked = closeWithScope({
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve()).destroy();
      }),
  });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const merged: Record<string, string | null> = {
    Host: `${hostname}:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': websocketKey(),
    'Sec-WebSocket-Version': '13',
  };
  for (const [name, value] of Object.entries(headers)) {
    const existing = Object.keys(merged).find((key) => key.toLowerCase() === name.toLowerCase());
    if (existing) delete merged[existing];
    merged[name] = value;
  }
  const lines = Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== null);
  socket.write(`${method} ${path} HTTP/1.1\r\n${lines.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`);
  const { response, leftover } = await readHandshake(socket, timeoutMs).catch(async (error: unknown) => {
    await tracked.close();
    throw error;
  });
  return new RawSocket(socket, response, leftover);
}
