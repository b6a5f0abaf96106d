/**
 * Decodes OP_MSG and legacy OP_QUERY requests and encodes OP_MSG / OP_REPLY answers.
 * Layouts follow the MongoDB Wire Protocol reference; document sequences (OP_MSG
 * section kind 1) are folded into the command body under their identifier, which is
 * what the command would look like had the client sent them inline.
 */
import { BSON, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/**
 * Longs stay Longs and binaries stay Binary so values round-trip with their BSON type;
 * the storage layer compares them numerically / by bytes (see storage/values.ts).
 * Numbers are read unpromoted, then made plain JS numbers by keepNumberTypes.
 */
const BSON_OPTIONS: BSON.DeserializeOptions = {
  promoteLongs: false,
  promoteBuffers: false,
  promoteValues: false,
};

/**
 * int32s and doubles become plain numbers, except a double with an integral value,
 * which stays a `Double`: as a plain number it would go back to the client as an
 * int32 (and answer `$type: 'int'`). Changes `value` in place; returns it.
 */
function keepNumberTypes<T>(value: T): T {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = keepNumberTypes(value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'Int32') return (value as unknown as BSON.Int32).value as T;
  if (tag === 'Double') {
    const number = (value as unknown as BSON.Double).value;
    return (Number.isInteger(number) ? value : number) as T;
  }
  if (tag !== undefined || value instanceof Date || value instanceof RegExp) return value;
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc)) doc[key] = keepNumberTypes(doc[key]);
  return value;
}

/** A BSON document as the engine stores it (number types kept, see keepNumberTypes). */
export function deserialize(bytes: Uint8Array): Document {
  return keepNumberTypes(BSON.deserialize(bytes, BSON_OPTIONS));
}

export interface WireRequest {
  opCode: number;
  requestId: number;
  /** The command document, `$db` included. */
  body: Document;
  /** OP_MSG moreToCome: the client wants no reply (unacknowledged writes). */
  noReply: boolean;
  /** For OP_QUERY: the `<db>.$cmd` the query was addressed to. */
  legacyDb?: string;
}

export class UnsupportedOpCodeError extends Error {
  readonly code = 'WIRE_UNSUPPORTED_OPCODE';
  constructor(readonly opCode: number) {
    super(`Unsupported wire opCode ${opCode}; the embedded engine speaks OP_MSG and the OP_QUERY handshake only.`);
  }
}

export function decodeRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return decodeOpMsg(message, requestId);
  if (opCode === OP_QUERY) return decodeOpQuery(message, requestId);
  throw new UnsupportedOpCodeError(opCode);
}

function decodeOpMsg(message: Buffer, requestId: number): WireRequest {
  const flags = message.readUInt32LE(16);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = message[offset];
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      body = deserialize(message.subarray(offset, offset + size));
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      let cursor = offset + 4;
      const nameEnd = message.indexOf(0, cursor);
      const identifier = message.toString('utf8', cursor, nameEnd);
      cursor = nameEnd + 1;
      const documents: Document[] = [];
      while (cursor < sectionEnd) {
        const docSize = message.readInt32LE(cursor);
        documents.push(deserialize(message.subarray(cursor, cursor + docSize)));
        cursor += docSize;
      }
      sequences.push([identifier, documents]);
      offset = sectionEnd;
    } else {
      throw new Error(`OP_MSG section kind ${String(kind)} is not 0 or 1`);
    }
  }
  if (!body) throw new Error('OP_MSG without a body section');
  for (const [identifier, documents] of sequences) body[identifier] = documents;
  return { opCode: OP_MSG, requestId, body, noReply: (flags & MORE_TO_COME) !== 0 };
}

function decodeOpQuery(message: Buffer, requestId: number): WireRequest {
  let offset = 20; // header + int32 flags
  const nameEnd = message.indexOf(0, offset);
  const fullCollectionName = message.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // skip numberToSkip, numberToReturn
  const size = message.readInt32LE(offset);
  let query = deserialize(message.subarray(offset, offset + size));
  // Old clients wrap the command as { $query: {...}, $readPreference: ... }.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  const legacyDb = fullCollectionName.split('.')[0] ?? 'admin';
  return { opCode: OP_QUERY, requestId, body: { ...query, $db: legacyDb }, noReply: false, legacyDb };
}

const SERIALIZE_OPTIONS: BSON.SerializeOptions = { ignoreUndefined: true };

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

export function encodeOpMsg(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = BSON.serialize(reply, SERIALIZE_OPTIONS);
  const length = 16 + 4 + 1 + body.length;
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), flagsAndKind, body], length);
}

export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = BSON.serialize(reply, SERIALIZE_OPTIONS);
  const fields = Buffer.alloc(20); // responseFlags 0, cursorId 0n, startingFrom 0
  fields.writeInt32LE(1, 16); // numberReturned
  const length = 16 + 20 + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fields, body], length);
}
