/**
 * Splits a TCP byte stream into whole MongoDB wire messages. Every message starts
 * with its own int32 length, so we buffer until that many bytes have arrived.
 */

/** mongod's default maxMessageSizeBytes; anything larger is a broken or hostile client. */
export const MAX_MESSAGE_BYTES = 48_000_000;
const HEADER_BYTES = 16;

export class FrameError extends Error {
  readonly code = 'WIRE_BAD_FRAME';
  constructor(readonly length: number) {
    super(`Wire message length ${length} is outside 16..${MAX_MESSAGE_BYTES} bytes; closing the connection.`);
  }
}

export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feeds bytes in; returns every message that is now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.peekHead();
      const length = head.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) throw new FrameError(length);
      if (this.buffered < length) break;
      messages.push(this.take(length));
    }
    return messages;
  }

  private peekHead(): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= 4) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] as Buffer;
  }

  private take(length: number): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const message = all.subarray(0, length);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return message;
  }
}
