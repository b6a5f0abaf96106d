/**
 * Server → client frames (RFC 6455 §5.2). Given finished: a server never masks,
 * and picks the shortest length form. The kata is about reading what clients send.
 */
export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export function encodeFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  let header: Buffer;
  if (payload.length > 0xffff) {
    header = Buffer.alloc(10);
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  } else if (payload.length > 125) {
    header = Buffer.alloc(4);
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(2);
    header[1] = payload.length;
  }
  header[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([header, payload]);
}

/** A close frame's payload: the 2-byte code, then a UTF-8 reason (at most 123 bytes). */
export function encodeClose(code: number | undefined, reason = ''): Buffer {
  if (code === undefined) return encodeFrame(Opcode.close, Buffer.alloc(0));
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return encodeFrame(Opcode.close, payload.subarray(0, 125));
}
