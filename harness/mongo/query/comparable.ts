/**
 * mingo compares JavaScript values. BSON numbers it does not know (Long, Decimal128,
 * Int32, Double instances) would compare as foreign objects, so for matching and
 * sorting we hand mingo a *view* of a document in which those are plain numbers and
 * binaries are compared by their bytes. Stored documents and replies keep their
 * real BSON types; views exist only for mingo's eyes and are cached per stored
 * document (stored documents are never mutated, updates replace them).
 */
import type { Document } from 'bson';
import { canonicalKey } from '../storage/keys';
import { toJsNumber } from '../storage/numeric';
import { bsonTag, isPlainObject } from '../storage/values';

/** Binary data as mingo sees it: equal when the bytes and subtype are equal. */
class BinaryView {
  constructor(private readonly key: string) {}
  toString(): string {
    return this.key;
  }
}

function needsView(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(needsView);
  const tag = bsonTag(value);
  if (tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double' || tag === 'Binary') return true;
  if (isPlainObject(value)) {
    for (const key in value) if (needsView(value[key])) return true;
  }
  return false;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  const tag = bsonTag(value);
  if (tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double') return toJsNumber(value);
  if (tag === 'Binary') return new BinaryView(canonicalKey(value));
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key in value) out[key] = convert(value[key]);
    return out;
  }
  return value;
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
