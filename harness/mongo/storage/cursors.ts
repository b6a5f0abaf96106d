/**
 * Open cursors: the rest of a result set waiting for `getMore`. Results are
 * materialised when the cursor opens (stored documents are immutable, so the
 * snapshot stays consistent). Batches stop at mongod's 16 MiB reply budget.
 */
import { randomBytes } from 'node:crypto';
import { BSON, type Document, Long } from 'bson';
import { MongoCommandError } from '../errors';

/** mongod's default first batch for find and aggregate. */
export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;
/** Beyond this many idle cursors the oldest are dropped, like mongod's idle timeout but without a timer. */
const MAX_OPEN_CURSORS = 10_000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  sessionKey: string | undefined;
}

export interface Batch {
  id: Long;
  ns: string;
  docs: Document[];
}

export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  // Random 63-bit ids, like mongod's: large enough that drivers keep them as Long.
  private nextId = (2n ** 62n) + BigInt(`0x${randomBytes(7).toString('hex')}`) * 256n;

  get size(): number {
    return this.cursors.size;
  }

  /** Returns the first batch; opens a cursor only if documents remain. */
  open(ns: string, docs: Document[], batchSize: number | undefined, sessionKey: string | undefined, singleBatch = false): Batch {
    const cursor: OpenCursor = { ns, docs, position: 0, sessionKey };
    const first = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || cursor.position >= docs.length) return { id: Long.ZERO, ns, docs: first };
    this.nextId += 1n;
    const id = Long.fromBigInt(this.nextId);
    this.cursors.set(id.toString(), cursor);
    if (this.cursors.size > MAX_OPEN_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    return { id, ns, docs: first };
  }

  /** getMore; throws CursorNotFound (43) for an unknown or exhausted id. */
  more(id: unknown, ns: string, batchSize: number | undefined): Batch {
    const key = String(id);
    const cursor = this.cursors.get(key);
    if (!cursor) throw new MongoCommandError('CursorNotFound', `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new MongoCommandError('Unauthorized', `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    }
    const docs = takeBatch(cursor, batchSize ?? Number.MAX_SAFE_INTEGER);
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(key);
      return { id: Long.ZERO, ns, docs };
    }
    return { id: id as Long, ns, docs };
  }

  kill(id: unknown): boolean {
    return this.cursors.delete(String(id));
  }

  killSession(sessionKey: string): void {
    for (const [id, cursor] of this.cursors) if (cursor.sessionKey === sessionKey) this.cursors.delete(id);
  }

  clear(): void {
    this.cursors.clear();
  }
}

function takeBatch(cursor: OpenCursor, limit: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < limit) {
    const doc = cursor.docs[cursor.position] as Document;
    bytes += BSON.calculateObjectSize(doc);
    if (bytes > MAX_BATCH_BYTES && batch.length > 0) break;
    batch.push(doc);
    cursor.position += 1;
  }
  return batch;
}
