import { Opcode } from './frame-encoder';

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

const knownOpcodes = new Set<number>(Object.values(Opcode));

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
    const rsv = bytes[0]! & 0x70;
    const opcode = bytes[0]! & 0x0f;
    const masked = (bytes[1]! & 0x80) !== 0;

    // No extension was negotiated, so no RSV bit may be set.
    if (rsv !== 0) throw new ProtocolError(1002, 'RSV bits set without an extension');
    if (!knownOpcodes.has(opcode)) throw new ProtocolError(1002, `Unknown opcode ${opcode}`);
    // Clients must mask (§5.1), so that a page cannot write bytes a caching
    // proxy would mistake for HTTP: an unmasked frame is a protocol error.
    if (!masked) throw new ProtocolError(1002, 'Client frames must be masked');

    let length = bytes[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (bytes.length < 4) return undefined;
      length = bytes.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (bytes.length < 10) return undefined;
      const declared = bytes.readBigUInt64BE(2);
      // The most significant bit must be 0 (§5.2); beyond that, refuse on the
      // header: waiting for 2^53 bytes would buffer until memory runs out.
      if (declared >= 2n ** 63n) throw new ProtocolError(1002, '64-bit length with its top bit set');
      if (declared > BigInt(this.maxPayloadBytes)) throw new ProtocolError(1009, `Frame of ${declared} bytes`);
      length = Number(declared);
      offset = 10;
    }
    const control = opcode >= 0x8;
    // Control frames are small and never fragmented (§5.5).
    if (control && (length > 125 || !fin)) throw new ProtocolError(1002, 'Control frames must be final and at most 125 bytes');
    if (length > this.maxPayloadBytes) throw new ProtocolError(1009, `Frame of ${length} bytes`);

    const end = offset + 4 + length;
    if (bytes.length < end) return undefined;
    const mask = bytes.subarray(offset, offset + 4);
    const payload = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) payload[i] = bytes[offset + 4 + i]! ^ mask[i & 3]!;
    this.buffered = bytes.subarray(end);
    return { fin, opcode, payload };
  }
}
