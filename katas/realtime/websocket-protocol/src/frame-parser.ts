/** A client frame, unmasked. */
export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** A violation the connection must answer with a close frame carrying `closeCode`. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Turns the bytes a client sends into frames (RFC 6455 §5.2), however TCP
 * splits them: a chunk may hold half a header or three frames.
 */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);

  /** `maxPayloadBytes`: the largest frame payload we will buffer; checked on the header, before the bytes arrive. */
  constructor(private readonly maxPayloadBytes: number) {}

  /** Adds `chunk` and returns every frame now complete; throws a {@link ProtocolError}. */
  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    const bytes = this.buffered;
    if (bytes.length < 2) return undefined;
    const fin = (bytes[0]! & 0x80) !== 0;
    const opcode = bytes[0]! & 0x0f;

    // TODO: refuse with 1002 what the protocol forbids: RSV bits without an extension, unknown
    // opcodes, unmasked client frames, control frames that are fragmented or over 125 bytes.

    // TODO: read the 16-bit (126) and 64-bit (127) lengths, and refuse (1009) a frame over
    // maxPayloadBytes on its header, before its bytes arrive.
    const length = bytes[1]! & 0x7f;
    const offset = 2;

    const end = offset + 4 + length;
    if (bytes.length < end) return undefined;
    // TODO: unmask the payload: byte i XOR mask[i % 4], the 4-byte key that follows the length.
    const payload = Buffer.from(bytes.subarray(offset + 4, end));
    this.buffered = bytes.subarray(end);
    return { fin, opcode, payload };
  }
}
