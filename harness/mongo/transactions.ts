/**
 * Logical sessions and multi-document transactions, with mongod's snapshot
 * isolation as far as learner code can observe it.
 *
 * - A transaction never writes committed data. Its writes go to an overlay
 *   (`writes`: collection → canonical `_id` key → new document, or null for a
 *   delete). Reads inside it see the overlay on top of committed data
 *   (read-your-writes); everyone else sees committed data only (read-committed).
 * - Its snapshot: when committed data changes while it is open, the version it
 *   saw is kept (`snapshot`, first one wins), so its reads stay as of its start.
 * - Writing a document another open transaction wrote, or one that changed since
 *   the snapshot, is a WriteConflict (112, TransientTransactionError) and aborts
 *   this transaction, as on mongod; `withTransaction` retries on that label. So
 *   is a unique key another open transaction holds in its overlay.
 * - Commit checks every unique index for the whole overlay first, then applies it
 *   (storage/collection.ts prepareBatch): all or nothing. Abort drops the overlay.
 * - A write outside any transaction to a document an open transaction wrote also
 *   answers WriteConflict (112, no label) at once. mongod would make it wait until
 *   the transaction ends; this engine runs each command synchronously and never
 *   parks a request (README, "Isolation"). A transaction open for more than 60 s
 *   (mongod's transactionLifetimeLimitSeconds) that is in the way is aborted first.
 *
 * Collections a transaction creates are made at once (empty to others) and dropped
 * on abort unless someone else wrote to them: the `undo` journal.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import type { Collection, CommittedWriteWatcher, Journal, QueryPlan } from './storage/collection';
import type { Engine } from './storage/engine';
import { canonicalKey } from './storage/keys';

type TxnState = 'active' | 'committed' | 'aborted';

const TRANSIENT = ['TransientTransactionError'];

/** mongod's transactionLifetimeLimitSeconds: an open transaction older than this is aborted when it is in someone's way. */
export const TRANSACTION_LIFETIME_MS = 60_000;

/** The transaction a command runs in, if any, plus the session it belongs to. */
export interface CommandSession {
  key: string | undefined;
  journal: Journal | undefined;
  txn: Transaction | undefined;
}

function txnNumberOf(body: Document): bigint | undefined {
  const n = body.txnNumber;
  if (n === undefined || n === null) return undefined;
  return BigInt(String(n));
}

function sharesUniqueKey(collection: Collection, a: Document, b: Document): boolean {
  for (const index of collection.indexes) {
    const keys = new Set(index.uniqueEntries(a).map((e) => e.full));
    if (keys.size > 0 && index.uniqueEntries(b).some((e) => keys.has(e.full))) return true;
  }
  return false;
}

export class Transaction {
  state: TxnState = 'active';
  undo: Array<() => void> = [];
  readonly startedAt = Date.now();
  /** This transaction's writes: null marks a delete. */
  readonly writes = new Map<Collection, Map<string, Document | null>>();
  /** Committed versions as of the snapshot, for documents changed since (undefined: absent then). */
  readonly snapshot = new Map<Collection, Map<string, Document | undefined>>();

  constructor(
    readonly txnNumber: bigint,
    private readonly registry: SessionRegistry,
  ) {}

  /** The document with `_id` key `idKey` as this transaction sees it. */
  get(collection: Collection, idKey: string): Document | undefined {
    const written = this.writes.get(collection);
    if (written?.has(idKey)) return written.get(idKey) ?? undefined;
    const seen = this.snapshot.get(collection);
    if (seen?.has(idKey)) return seen.get(idKey);
    return collection.docs.get(idKey);
  }

  private touched(collection: Collection, idKey: string): boolean {
    return this.writes.get(collection)?.has(idKey) === true || this.snapshot.get(collection)?.has(idKey) === true;
  }

  /**
   * Candidates for `filter` as this transaction sees them: the planner's committed
   * candidates (index or scan) with this transaction's versions swapped in, then
   * every document it wrote or whose snapshot version differs. Callers re-test
   * each against the filter, so the extra candidates cannot change a result.
   */
  documents(collection: Collection, filter?: Document, plan?: QueryPlan): Document[] {
    const base = (plan ?? (filter ? collection.plan(filter) : undefined))?.docs ?? collection.docs.values();
    const written = this.writes.get(collection);
    const seen = this.snapshot.get(collection);
    if (!written && !seen) return [...base];
    const out: Document[] = [];
    const done = new Set<string>();
    const visit = (idKey: string): void => {
      if (done.has(idKey)) return;
      done.add(idKey);
      const doc = this.get(collection, idKey);
      if (doc) out.push(doc);
    };
    for (const doc of base) visit(canonicalKey(doc._id));
    for (const idKey of written?.keys() ?? []) visit(idKey);
    for (const idKey of seen?.keys() ?? []) visit(idKey);
    return out;
  }

  insert(collection: Collection, doc: Document): void {
    const idKey = canonicalKey(doc._id);
    this.claim(collection, idKey, doc);
    if (this.get(collection, idKey)) throw collection.duplicateId(doc);
    this.checkUnique(collection, doc, idKey);
    this.overlay(collection).set(idKey, doc);
  }

  replace(collection: Collection, previous: Document, next: Document): void {
    const idKey = canonicalKey(previous._id);
    this.claim(collection, idKey, next);
    this.checkUnique(collection, next, idKey);
    this.overlay(collection).set(idKey, next);
  }

  remove(collection: Collection, doc: Document): void {
    const idKey = canonicalKey(doc._id);
    this.claim(collection, idKey, undefined);
    this.overlay(collection).set(idKey, null);
  }

  private overlay(collection: Collection): Map<string, Document | null> {
    let written = this.writes.get(collection);
    if (!written) {
      written = new Map();
      this.writes.set(collection, written);
    }
    return written;
  }

  /** WriteConflict when another open transaction wrote the document (or holds `next`'s unique key), or it changed since our snapshot. */
  private claim(collection: Collection, idKey: string, next: Document | undefined): void {
    if (this.snapshot.get(collection)?.has(idKey) && !this.writes.get(collection)?.has(idKey)) {
      throw this.registry.conflict(this);
    }
    this.registry.guardAgainstOthers(this, collection, idKey, next);
  }

  /** Unique indexes over what this transaction sees: committed data plus its own writes. */
  private checkUnique(collection: Collection, doc: Document, idKey: string): void {
    for (const index of collection.indexes) {
      const entries = index.uniqueEntries(doc);
      if (entries.length === 0) continue;
      for (const entry of entries) {
        for (const holder of index.holdersOf(entry.full)) {
          if (holder === idKey) continue;
          if (!this.touched(collection, holder)) throw index.duplicate(entry.values);
        }
      }
      const keys = new Map(entries.map((e) => [e.full, e.values]));
      const visible = new Set([...(this.writes.get(collection)?.keys() ?? []), ...(this.snapshot.get(collection)?.keys() ?? [])]);
      for (const other of visible) {
        if (other === idKey) continue;
        const version = this.get(collection, other);
        if (!version) continue;
        for (const entry of index.uniqueEntries(version)) {
          const values = keys.get(entry.full);
          if (values) throw index.duplicate(values);
        }
      }
    }
  }
}

export class SessionRegistry implements CommittedWriteWatcher {
  private readonly sessions = new Map<string, Transaction>();
  /** Transactions in progress, whose writes others must not touch. */
  private readonly open = new Set<Transaction>();

  constructor(engine?: Engine) {
    if (engine) engine.watcher.current = this;
  }

  static keyOf(body: Document): string | undefined {
    const lsid = body.lsid as Document | undefined;
    return lsid?.id !== undefined ? canonicalKey(lsid.id) : undefined;
  }

  /** Works out which transaction (if any) a command belongs to, starting one when asked. */
  enter(body: Document): CommandSession {
    const key = SessionRegistry.keyOf(body);
    const txnNumber = txnNumberOf(body);
    // Retryable writes carry txnNumber without autocommit:false; they are not transactions.
    if (key === undefined || txnNumber === undefined || body.autocommit !== false) return { key, journal: undefined, txn: undefined };
    let session = this.sessions.get(key);
    if (body.startTransaction === true) {
      if (session?.state === 'active') this.rollback(session);
      session = new Transaction(txnNumber, this);
      this.sessions.set(key, session);
      this.open.add(session);
    }
    if (!session || session.txnNumber !== txnNumber || session.state !== 'active') {
      const name = Object.keys(body)[0];
      if (name === 'commitTransaction' || name === 'abortTransaction') return { key, journal: undefined, txn: undefined };
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    const undo = session.undo;
    return { key, journal: { record: (step) => undo.push(step) }, txn: session };
  }

  commit(body: Document): void {
    const session = this.find(body);
    if (session.state === 'committed') return; // a retried commit succeeds again
    if (session.state !== 'active') {
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${session.txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    // Release the locks first: applying records snapshot versions for the others.
    this.open.delete(session);
    const prepared: Array<{ apply(): void; cancel(): void }> = [];
    try {
      for (const [collection, changes] of session.writes) prepared.push(collection.prepareBatch(changes));
    } catch (error) {
      for (const batch of prepared.reverse()) batch.cancel();
      this.rollback(session);
      throw error;
    }
    for (const batch of prepared) batch.apply();
    session.writes.clear();
    session.snapshot.clear();
    session.undo = [];
    session.state = 'committed';
  }

  abort(body: Document): void {
    const session = this.find(body);
    if (session.state === 'committed') {
      throw new MongoCommandError('TransactionCommitted', `Transaction with { txnNumber: ${session.txnNumber} } has been committed.`);
    }
    if (session.state !== 'active') {
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${session.txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    this.rollback(session);
  }

  /** endSessions: abort what the sessions left open. */
  end(keys: string[]): void {
    for (const key of keys) {
      const session = this.sessions.get(key);
      if (session?.state === 'active') this.rollback(session);
      this.sessions.delete(key);
    }
  }

  clear(): void {
    for (const session of this.open) this.rollback(session);
    this.sessions.clear();
  }

  // ---- conflicts ----------------------------------------------------------

  /** Aborts `txn` (mongod does on a write conflict) and returns the error to throw. */
  conflict(txn: Transaction): MongoCommandError {
    this.rollback(txn);
    return new MongoCommandError(
      'WriteConflict',
      'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
      {},
      TRANSIENT,
    );
  }

  /** Throws WriteConflict when an open transaction other than `actor` wrote `idKey` or holds a unique key of `next`. */
  guardAgainstOthers(actor: Transaction | undefined, collection: Collection, idKey: string, next: Document | undefined): void {
    for (const other of this.open) {
      if (other === actor) continue;
      const written = other.writes.get(collection);
      if (!written) continue;
      if (Date.now() - other.startedAt > TRANSACTION_LIFETIME_MS) {
        // Abandoned (never committed or ended): abort it as mongod's reaper would have, and go on.
        this.rollback(other);
        continue;
      }
      let clash = written.has(idKey);
      if (!clash && next) {
        for (const [key, doc] of written) {
          if (key !== idKey && doc && sharesUniqueKey(collection, doc, next)) {
            clash = true;
            break;
          }
        }
      }
      if (!clash) continue;
      if (actor) throw this.conflict(actor);
      throw new MongoCommandError(
        'WriteConflict',
        `WriteConflict: the document is being written by an open transaction; the embedded engine answers at once where mongod would wait for that transaction to commit or abort (collection ${collection.ns})`,
      );
    }
  }

  /** CommittedWriteWatcher: a write outside any transaction (or a commit) is about to change committed data. */
  guard(collection: Collection, idKey: string, next: Document | undefined): void {
    if (this.open.size > 0) this.guardAgainstOthers(undefined, collection, idKey, next);
  }

  /** CommittedWriteWatcher: keep the version each open transaction's snapshot saw. */
  record(collection: Collection, idKey: string, previous: Document | undefined): void {
    for (const txn of this.open) {
      let seen = txn.snapshot.get(collection);
      if (!seen) {
        seen = new Map();
        txn.snapshot.set(collection, seen);
      }
      if (!seen.has(idKey)) seen.set(idKey, previous);
    }
  }

  private find(body: Document): Transaction {
    const key = SessionRegistry.keyOf(body);
    const txnNumber = txnNumberOf(body);
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (!session || txnNumber === undefined || session.txnNumber !== txnNumber) {
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${String(txnNumber)} } was not found for this session.`, {}, TRANSIENT);
    }
    return session;
  }

  private rollback(session: Transaction): void {
    this.open.delete(session);
    session.writes.clear();
    session.snapshot.clear();
    const steps = session.undo;
    session.undo = [];
    session.state = 'aborted';
    for (let i = steps.length - 1; i >= 0; i -= 1) (steps[i] as () => void)();
  }
}
