/**
 * Logical sessions and multi-document transactions. A transaction keeps an undo
 * journal: every write inside it records its inverse (see storage/collection.ts),
 * and abort replays the inverses newest-first, so an aborted transaction leaves no
 * trace. Commit just forgets the journal. Isolation is read-uncommitted (other
 * sessions can see a transaction's writes before it commits); README lists this.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors';
import type { Journal } from './storage/collection';
import { canonicalKey } from './storage/keys';

type TxnState = 'none' | 'active' | 'committed' | 'aborted';

interface SessionState {
  txnNumber: bigint;
  state: TxnState;
  undo: Array<() => void>;
}

const TRANSIENT = ['TransientTransactionError'];

/** The transaction a command runs in, if any, plus the session it belongs to. */
export interface CommandSession {
  key: string | undefined;
  journal: Journal | undefined;
}

function txnNumberOf(body: Document): bigint | undefined {
  const n = body.txnNumber;
  if (n === undefined || n === null) return undefined;
  return BigInt(String(n));
}

export class SessionRegistry {
  private readonly sessions = new Map<string, SessionState>();

  static keyOf(body: Document): string | undefined {
    const lsid = body.lsid as Document | undefined;
    return lsid?.id !== undefined ? canonicalKey(lsid.id) : undefined;
  }

  /** Works out which transaction (if any) a command belongs to, starting one when asked. */
  enter(body: Document): CommandSession {
    const key = SessionRegistry.keyOf(body);
    const txnNumber = txnNumberOf(body);
    // Retryable writes carry txnNumber without autocommit:false; they are not transactions.
    if (key === undefined || txnNumber === undefined || body.autocommit !== false) return { key, journal: undefined };
    let session = this.sessions.get(key);
    if (body.startTransaction === true) {
      if (session?.state === 'active') this.rollback(session);
      session = { txnNumber, state: 'active', undo: [] };
      this.sessions.set(key, session);
    }
    if (!session || session.txnNumber !== txnNumber || session.state !== 'active') {
      const name = Object.keys(body)[0];
      if (name === 'commitTransaction' || name === 'abortTransaction') return { key, journal: undefined };
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
    const undo = session.undo;
    return { key, journal: { record: (step) => undo.push(step) } };
  }

  commit(body: Document): void {
    const session = this.find(body);
    if (session.state === 'committed') return; // a retried commit succeeds again
    if (session.state !== 'active') {
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${session.txnNumber} } has been aborted.`, {}, TRANSIENT);
    }
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
    this.sessions.clear();
  }

  private find(body: Document): SessionState {
    const key = SessionRegistry.keyOf(body);
    const txnNumber = txnNumberOf(body);
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (!session || txnNumber === undefined || session.txnNumber !== txnNumber) {
      throw new MongoCommandError('NoSuchTransaction', `Transaction with { txnNumber: ${String(txnNumber)} } was not found for this session.`, {}, TRANSIENT);
    }
    return session;
  }

  private rollback(session: SessionState): void {
    const steps = session.undo;
    session.undo = [];
    session.state = 'aborted';
    for (let i = steps.length - 1; i >= 0; i -= 1) (steps[i] as () => void)();
  }
}
