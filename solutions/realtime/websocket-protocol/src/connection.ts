import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeClose, encodeFrame, Opcode } from './frame-encoder';
import { FrameParser, ProtocolError, type Frame } from './frame-parser';

export interface ConnectionOptions {
  /** The largest message, all its fragments together, in bytes; beyond it, close 1009. */
  maxMessageBytes: number;
  /** Ping every this many ms; a peer that has not answered the previous ping by then is dropped. */
  heartbeatMs: number;
}

/** Close codes a peer may send (RFC 6455 §7.4): 1004–1006 and 1015 are reserved, never sent. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/**
 * One WebSocket connection after the handshake: reads frames, assembles
 * messages, answers control frames, and closes with the code that says why.
 * Emits `message` (payload, isBinary) and, once, `close` (code or undefined).
 */
export class WebSocketConnection extends EventEmitter {
  private readonly parser: FrameParser;
  private fragments: Buffer[] = [];
  private fragmentedOpcode: number | undefined;
  private fragmentedBytes = 0;
  private closeSent = false;
  private closed = false;
  private answeredPing = true;
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private closeCode: number | undefined;

  constructor(
    private readonly socket: Duplex,
    private readonly options: ConnectionOptions,
  ) {
    super();
    this.parser = new FrameParser(options.maxMessageBytes);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A client that vanishes (reset, cable pulled) surfaces as an error on the
    // socket; without a listener that error would crash the whole server.
    socket.on('error', () => socket.destroy());
    // HTTP servers keep upgraded sockets half-open: a peer that leaves without
    // a close frame sends only its FIN, and our side must end too or the
    // socket (and the connection) lives on forever.
    socket.on('end', () => socket.end());
    socket.on('close', () => this.onSocketClosed());
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
  }

  send(data: Buffer | string, isBinary = typeof data !== 'string'): void {
    if (this.closeSent) return;
    this.socket.write(encodeFrame(isBinary ? Opcode.binary : Opcode.text, Buffer.from(data)));
  }

  /** Starts the closing handshake; the TCP connection ends when the peer answers (or is cut off). */
  close(code: number, reason = ''): void {
    if (this.closeSent) return;
    this.closeSent = true;
    this.closeCode = code;
    this.socket.write(encodeClose(code, reason));
    // After our close frame nothing more may be sent; end our side so a peer
    // that never answers cannot keep the socket open forever.
    this.socket.end();
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.closeSent) return;
    try {
      for (const frame of this.parser.push(chunk)) {
        this.handle(frame);
        if (this.closeSent) return;
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.close(error.closeCode, error.message);
    }
  }

  private handle(frame: Frame): void {
    switch (frame.opcode) {
      case Opcode.ping:
        // The pong carries the ping's payload, byte for byte (§5.5.3).
        this.socket.write(encodeFrame(Opcode.pong, frame.payload));
        return;
      case Opcode.pong:
        this.answeredPing = true;
        return;
      case Opcode.close:
        return this.onCloseFrame(frame.payload);
      default:
        return this.onDataFrame(frame);
    }
  }

  private onDataFrame(frame: Frame): void {
    // A continuation with no message started, or a new message before the
    // last one finished, would splice two messages together.
    if (frame.opcode === Opcode.continuation && this.fragmentedOpcode === undefined) {
      throw new ProtocolError(1002, 'Continuation frame without a message to continue');
    }
    if (frame.opcode !== Opcode.continuation && this.fragmentedOpcode !== undefined) {
      throw new ProtocolError(1002, 'New message before the fragmented one ended');
    }
    if (frame.opcode !== Opcode.continuation) this.fragmentedOpcode = frame.opcode;

    // The limit is on the message: many small fragments add up.
    this.fragmentedBytes += frame.payload.length;
    if (this.fragmentedBytes > this.options.maxMessageBytes) {
      throw new ProtocolError(1009, `Message over ${this.options.maxMessageBytes} bytes`);
    }
    this.fragments.push(frame.payload);
    if (!frame.fin) return;

    const opcode = this.fragmentedOpcode!;
    const message = Buffer.concat(this.fragments);
    this.fragments = [];
    this.fragmentedOpcode = undefined;
    this.fragmentedBytes = 0;
    // UTF-8 is checked on the whole message: a character may straddle two fragments.
    if (opcode === Opcode.text && !isUtf8(message)) throw new ProtocolError(1007, 'Text message is not valid UTF-8');
    this.emit('message', message, opcode === Opcode.binary);
  }

  private onCloseFrame(payload: Buffer): void {
    if (this.closeSent) return;
    if (payload.length === 0) return this.close(1000);
    if (payload.length === 1) throw new ProtocolError(1002, 'Close frame with a 1-byte payload');
    const code = payload.readUInt16BE(0);
    if (!isValidCloseCode(code)) throw new ProtocolError(1002, `Invalid close code ${code}`);
    if (!isUtf8(payload.subarray(2))) throw new ProtocolError(1007, 'Close reason is not valid UTF-8');
    // Echo the peer's code: it tells the peer we understood why it left.
    this.close(code);
  }

  private beat(): void {
    // A peer that has not answered our last ping is gone (a dead NAT entry,
    // a suspended laptop): TCP alone may not notice for hours.
    if (!this.answeredPing) return this.terminate();
    this.answeredPing = false;
    this.socket.write(encodeFrame(Opcode.ping, Buffer.alloc(0)));
  }

  private onSocketClosed(): void {
    clearInterval(this.heartbeat);
    if (this.closed) return;
    this.closed = true;
    this.emit('close', this.closeCode);
  }
}
