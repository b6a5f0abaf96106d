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
  private closeSent = false;
  private closed = false;
  private answeredPing = true;
  private heartbeat: NodeJS.Timeout | undefined;
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
    // TODO: start the heartbeat: call this.beat() every options.heartbeatMs.
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
        // TODO: answer with a pong carrying the ping's payload, byte for byte.
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
    // TODO: assemble fragmented messages (continuation frames; 1002 for a continuation with nothing
    // to continue or a new message before the last one ended), close 1009 when a message's
    // fragments together exceed options.maxMessageBytes, and 1007 when a whole text message is not UTF-8.
    this.emit('message', frame.payload, frame.opcode === Opcode.binary);
  }

  private onCloseFrame(_payload: Buffer): void {
    if (this.closeSent) return;
    // TODO: check the payload (empty is fine; 1 byte or a code that may not be sent → 1002; a reason
    // that is not UTF-8 → 1007), then answer with the peer's own code.
    this.close(1000);
  }

  private beat(): void {
    // TODO: terminate a peer that has not answered the previous ping (answeredPing), else send a new ping.
  }

  private onSocketClosed(): void {
    clearInterval(this.heartbeat);
    if (this.closed) return;
    this.closed = true;
    this.emit('close', this.closeCode);
  }
}
