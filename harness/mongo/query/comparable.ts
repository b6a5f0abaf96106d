/**
 * mingo compares JavaScript values. BSON numbers it does not know (Long, Decimal128,
 * Int32, Double instances) would compare as foreign objects, so for matching and
 * sorting we hand mingo a *view* of a document in which those are plain numbers and
 * binaries are compared by their bytes. Stored documents and replies keep their
 * real BSON types; views exist only for mingo's eyes and are cached per stored
 * document (stored documents are never mutated, updates replace them).
 */
import type { Document } from 'bson';
import { toJsNumber } from '../storage/numeric';
import { bsonTag, isPlainObject } from '../storage/values';

/**
 * Binary data as mingo sees it. mingo compares such objects by their string, so the
 * string sorts the way mongod orders BinData: by length, then subtype, then bytes.
 * The bytes stay at hand for the bitwise query operators.
 */
export class BinaryView {
  private readonly key: string;
  constructor(
    readonly subtype: number,
    readonly bytes: Uint8Array,
  ) {
    const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
    this.key = `${bytes.length.toString(16).padStart(8, '0')}:${subtype.toString(16).padStart(2, '0')}:${hex}`;
  }
  toString(): string {
    return this.key;
  }
}

function needsView(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(needsView);
  const tag = bsonTag(value);
  if (tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double' || tag === 'Binary' || tag === 'DBRef') return true;
  if (isPlainObject(value)) {
    for (const key in value) if (needsView(value[key])) return true;
  }
  return false;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  const tag = bsonTag(value);
  if (tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double') return toJsNumber(value);
  if (tag === 'Binary') {
    const binary = value as { sub_type: number; buffer: Uint8Array };
    return new BinaryView(binary.sub_type, binary.buffer);
  }
  if (tag === 'DBRef') {
    // Stored by mongod as the embedded document { $ref, $id, $db } and queried so ('ref.$id');
    // mingo refuses $-prefixed field names, so the view and the filter both spell them dbrefField().
    const ref = value as { collection: string; oid: unknown; db?: string; fields?: Document };
    return convert({ [dbrefField('$ref')]: ref.collection, [dbrefField('$id')]: ref.oid, ...(ref.db ? { [dbrefField('$db')]: ref.db } : {}), ...ref.fields });
  }
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key in value) out[key] = convert(value[key]);
    stored.set(out, value);
    return out;
  }
  return value;
}

/** Each converted object's stored original: `$type` tells an int32 from a double there, not in the view. */
const stored = new WeakMap<object, Document>();

/** The stored document (or subdocument) a view stands for; itself when it needed no view. */
export function storedOf(view: Document): Document {
  return stored.get(view) ?? view;
}

export const DBREF_FIELDS = new Set(['$ref', '$id', '$db']);

/** A DBRef field's name in views and filters: NUL cannot start a BSON field name, so nothing collides. */
export function dbrefField(name: string): string {
  return `\u0000${name.slice(1)}`;
}

const views = new WeakMap<Document, Document>();

/** The document mingo should match and sort (the document itself when no conversion is needed). */
export function viewOf(doc: Document): Document {
  let view = views.get(doc);
  if (view === undefined) {
    view = needsView(doc) ? (convert(doc) as Document) : doc;
    views.set(doc, view);
  }
  return view;
}

/** Query operands get the same conversion so `{ n: Long(5) }` meets a stored 5. */
export function comparableOperand<T>(value: T): T {
  return needsView(value) ? (convert(value) as T) : value;
}
