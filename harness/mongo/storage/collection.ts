/**
 * One collection: documents in a Map keyed by the canonical key of `_id` (O(1)
 * lookups for any `_id` type), secondary indexes kept in step on every write, the
 * validator, and the query planner that picks an index for equality filters.
 * Holds committed data only: transactions keep their writes in an overlay
 * (transactions.ts) and hand them over in one batch on commit (prepareBatch).
 * Every write checks all unique indexes before changing anything, so a failed write
 * leaves no partial trace, and tells the watcher so open transactions keep their snapshot.
 */
import { type Document, UUID } from 'bson';
import { type ErrorCodeName, MongoCommandError } from '../errors';
import { compileFilter, type Matcher } from '../query/filter';
import { sortDocuments } from '../query/shape';
import { schemaFailures } from '../query/json-schema';
import { formatKeyObject } from './format';
import { Index, type IndexSpec } from './index';
import { canonicalKey } from './keys';
import { CappedSpace, clusteredIndexSpec, isCapped, isTimeseries, timeseriesDefaultIndex } from './special-collections';
import { isPlainObject } from './values';

/** Receives the inverse of each write, so a transaction can be rolled back. */
export interface Journal {
  record(undo: () => void): void;
}

/**
 * Told about every write to committed data (see transactions.ts): `guard` runs
 * first and may refuse with WriteConflict (a document an open transaction wrote);
 * `record` runs once the write is certain, so open transactions keep the version
 * their snapshot saw.
 */
export interface CommittedWriteWatcher {
  guard(collection: Collection, idKey: string, next: Document | undefined): void;
  record(collection: Collection, idKey: string, previous: Document | undefined): void;
}

/** Shared by an engine's collections; `current` is set once by the session registry. */
export interface WatcherSlot {
  current?: CommittedWriteWatcher;
}

export interface CollectionOptions {
  validator?: Document;
  validationLevel?: 'off' | 'strict' | 'moderate';
  validationAction?: 'error' | 'warn';
  [option: string]: unknown;
}

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes: Index[] = [];
  readonly uuid = new UUID();
  private validatorMatcher: Matcher | undefined;
  /** Set for a capped collection: what it holds against its caps. */
  private readonly capped: CappedSpace | undefined;

  constructor(
    readonly dbName: string,
    readonly name: string,
    public options: CollectionOptions = {},
    private readonly watcher: WatcherSlot = {},
  ) {
    this.capped = isCapped(options) ? new CappedSpace(options) : undefined;
    const seriesIndex = timeseriesDefaultIndex(options);
    if (seriesIndex) this.addIndex(seriesIndex as IndexSpec);
  }

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  setOptions(options: CollectionOptions): void {
    this.options = options;
    this.validatorMatcher = undefined;
  }

  getById(id: unknown): Document | undefined {
    return this.docs.get(canonicalKey(id));
  }

  // ---- validation -------------------------------------------------------

  private validatorFailures(doc: Document): Document[] | undefined {
    const validator = this.options.validator;
    if (!validator || Object.keys(validator).length === 0) return undefined;
    const { $jsonSchema, ...rest } = validator;
    // $jsonSchema runs on the real document so bsonType sees Long/Decimal128 as such.
    const failures = isPlainObject($jsonSchema) ? schemaFailures($jsonSchema, doc) : [];
    if (failures.length > 0) return [{ operatorName: '$jsonSchema', schemaRulesNotSatisfied: failures }];
    if (Object.keys(rest).length > 0) {
      this.validatorMatcher ??= compileFilter(rest);
      if (!this.validatorMatcher.test(doc)) return [{ operatorName: '$and', clausesNotSatisfied: [{ index: 0, details: { operatorName: 'query', specifiedAs: rest } }] }];
    }
    return undefined;
  }

  /** Throws DocumentValidationFailure (121) as mongod does for strict/error validators. */
  validate(doc: Document, previous?: Document): void {
    const level = this.options.validationLevel ?? 'strict';
    if (level === 'off' || this.options.validationAction === 'warn') return;
    const failures = this.validatorFailures(doc);
    if (!failures) return;
    if (level === 'moderate' && previous && this.validatorFailures(previous)) return;
    const [details] = failures;
    throw new MongoCommandError('DocumentValidationFailure', 'Document failed validation', {
      errInfo: { failingDocumentId: doc._id, details },
    });
  }

  // ---- writes -----------------------------------------------------------

  duplicateId(doc: Document): MongoCommandError {
    const keyValue = { _id: doc._id };
    return new MongoCommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.ns} index: _id_ dup key: ${formatKeyObject(keyValue)}`,
      { keyPattern: { _id: 1 }, keyValue },
    );
  }

  insert(doc: Document, journal?: Journal): void {
    const idKey = canonicalKey(doc._id);
    this.watcher.current?.guard(this, idKey, doc);
    if (this.docs.has(idKey)) throw this.duplicateId(doc);
    for (const index of this.indexes) index.check(doc, idKey);
    this.watcher.current?.record(this, idKey, undefined);
    this.docs.set(idKey, doc);
    for (const index of this.indexes) index.add(doc, idKey);
    this.capped?.added(doc);
    journal?.record(() => this.rawRemove(doc));
    this.evictOldest(idKey);
  }

  replace(previous: Document, next: Document, journal?: Journal): void {
    const idKey = canonicalKey(previous._id);
    this.watcher.current?.guard(this, idKey, next);
    for (const index of this.indexes) index.check(next, idKey);
    this.watcher.current?.record(this, idKey, previous);
    this.rawReplace(previous, next);
    journal?.record(() => this.rawReplace(next, previous));
    this.evictOldest(idKey);
  }

  /** A capped collection over its size or document cap drops its oldest documents, never `keep` (the one just written). */
  private evictOldest(keep: string): void {
    const space = this.capped;
    if (!space) return;
    for (const [idKey, doc] of this.docs) {
      if (!space.full(this.docs.size)) return;
      if (idKey !== keep) this.remove(doc);
    }
  }

  remove(doc: Document, journal?: Journal): void {
    const idKey = canonicalKey(doc._id);
    this.watcher.current?.guard(this, idKey, undefined);
    this.watcher.current?.record(this, idKey, doc);
    this.rawRemove(doc);
    journal?.record(() => this.rawInsert(doc));
  }

  private rawInsert(doc: Document): void {
    const idKey = canonicalKey(doc._id);
    this.docs.set(idKey, doc);
    for (const index of this.indexes) index.add(doc, idKey);
    this.capped?.added(doc);
  }

  private rawReplace(previous: Document, next: Document): void {
    const idKey = canonicalKey(previous._id);
    for (const index of this.indexes) index.remove(previous, idKey);
    this.docs.set(idKey, next);
    for (const index of this.indexes) index.add(next, idKey);
    this.capped?.removed(previous);
    this.capped?.added(next);
  }

  private rawRemove(doc: Document): void {
    const idKey = canonicalKey(doc._id);
    if (this.docs.get(idKey) !== doc) return;
    this.docs.delete(idKey);
    for (const index of this.indexes) index.remove(doc, idKey);
    this.capped?.removed(doc);
  }

  /**
   * First half of a transaction commit: checks a transaction's changes (`_id` key →
   * new document, or null for a delete) against every unique index as one batch
   * (so two documents may swap a unique value) and reserves their index entries.
   * Throws, leaving nothing changed, on a duplicate. The returned `apply` makes the
   * changes visible; `cancel` puts the indexes back as they were.
   */
  prepareBatch(changes: Map<string, Document | null>): { apply(): void; cancel(): void } {
    const previous = new Map<string, Document>();
    for (const idKey of changes.keys()) {
      const doc = this.docs.get(idKey);
      if (doc) previous.set(idKey, doc);
    }
    const added: Array<[string, Document]> = [];
    const cancel = (): void => {
      for (const [idKey, doc] of added) for (const index of this.indexes) index.remove(doc, idKey);
      for (const [idKey, doc] of previous) for (const index of this.indexes) index.add(doc, idKey);
      added.length = 0;
    };
    for (const [idKey, doc] of previous) for (const index of this.indexes) index.remove(doc, idKey);
    try {
      for (const [idKey, doc] of changes) {
        if (!doc) continue;
        for (const index of this.indexes) index.check(doc, idKey);
        for (const index of this.indexes) index.add(doc, idKey);
        added.push([idKey, doc]);
      }
    } catch (error) {
      cancel();
      throw error;
    }
    return {
      apply: () => {
        for (const [idKey, doc] of changes) {
          this.watcher.current?.record(this, idKey, previous.get(idKey));
          // Map.set on an existing key keeps the document's place in natural order.
          if (doc) this.docs.set(idKey, doc);
          else this.docs.delete(idKey);
        }
      },
      cancel,
    };
  }

  // ---- indexes ----------------------------------------------------------

  /** Builds an index over the existing documents; a unique one fails on duplicates as mongod's build does. */
  addIndex(spec: IndexSpec): void {
    const index = new Index(spec, this.ns);
    for (const [idKey, doc] of this.docs) {
      try {
        index.check(doc, idKey);
      } catch (error) {
        if (error instanceof MongoCommandError) {
          throw new MongoCommandError(
            error.codeName as ErrorCodeName,
            `Index build failed: ${this.uuid.toHexString()}: Collection ${this.ns} ( ${this.uuid.toHexString()} ) :: caused by :: ${error.message}`,
            error.extras,
          );
        }
        throw error;
      }
      index.add(doc, idKey);
    }
    this.indexes.push(index);
  }

  dropIndex(name: string): void {
    const at = this.indexes.findIndex((index) => index.name === name);
    if (at >= 0) this.indexes.splice(at, 1);
  }

  /** As listIndexes shows them: a clustered collection lists its clustered index, a time series has no `_id` index. */
  indexSpecs(): IndexSpec[] {
    const secondary = this.indexes.map((index) => index.spec);
    if (isTimeseries(this.options)) return secondary;
    return [(clusteredIndexSpec(this.options) as IndexSpec | undefined) ?? ID_INDEX_SPEC, ...secondary];
  }

  // ---- planning ---------------------------------------------------------

  /**
   * Documents that may match `filter`, from the `_id` map or an index when the
   * filter pins a field by equality; undefined means "scan everything".
   * Callers still test every candidate against the full filter.
   */
  candidates(filter: Document): Document[] | undefined {
    return this.plan(filter).docs;
  }

  /**
   * How `filter` will be answered, and what that costs, for the readers and for
   * explain. The engine's indexes are hash maps: they answer equality and `$in` on
   * an index's first field and nothing else, so a range or a regex is a COLLSCAN
   * here even where mongod would scan an index range. Explain reports what really
   * happens. `hint` (an index name or key pattern, or `{ $natural: 1 }`) forces the
   * choice; a hinted index with no equality to use is scanned whole, as on mongod.
   */
  plan(filter: Document, hint?: unknown, collated = false): QueryPlan {
    if (hint !== undefined && hint !== null && !(typeof hint === 'object' && Object.keys(hint).length === 0)) return this.hintedPlan(filter, hint, collated);
    const ids = equalityValues(filter, '_id', collated);
    if (ids) return this.idPlan(ids);
    for (const index of this.indexes) {
      const plan = this.equalityPlan(index, filter, collated);
      if (plan) return plan;
    }
    return { stage: 'COLLSCAN', docs: undefined, keysExamined: 0 };
  }

  private idPlan(ids: unknown[]): QueryPlan {
    const docs = ids.map((id) => this.getById(id)).filter((doc): doc is Document => doc !== undefined);
    return { stage: 'IDHACK', index: ID_INDEX, docs, keysExamined: ids.length };
  }

  private equalityPlan(index: Index, filter: Document, collated: boolean): QueryPlan | undefined {
    if (!index.answersEquality) return undefined;
    const values = equalityValues(filter, index.fields[0] as string, collated);
    if (!values) return undefined;
    // A sparse index does not hold documents missing the field, which `null` matches.
    if (index.sparse && values.some((v) => v === null)) return undefined;
    const seen = new Set<string>();
    const docs: Document[] = [];
    let keysExamined = 0;
    for (const value of values) {
      for (const idKey of index.lookup(value)) {
        keysExamined += 1;
        if (seen.has(idKey)) continue;
        seen.add(idKey);
        const doc = this.docs.get(idKey);
        if (doc) docs.push(doc);
      }
    }
    return { stage: 'IXSCAN', index, docs, keysExamined };
  }

  private hintedPlan(filter: Document, hint: unknown, collated: boolean): QueryPlan {
    if (isPlainObject(hint) && '$natural' in hint) return { stage: 'COLLSCAN', docs: undefined, keysExamined: 0 };
    const wanted = typeof hint === 'string' ? hint : isPlainObject(hint) ? canonicalKey(hint) : undefined;
    const matches = (name: string, key: Document) => (typeof hint === 'string' ? name === wanted : canonicalKey(key) === wanted);
    if (matches(ID_INDEX_SPEC.name, ID_INDEX_SPEC.key)) {
      const ids = equalityValues(filter, '_id', collated);
      if (ids) return this.idPlan(ids);
      return { stage: 'IXSCAN', index: ID_INDEX, docs: [...this.docs.values()], keysExamined: this.docs.size };
    }
    const index = this.indexes.find((candidate) => matches(candidate.name, candidate.spec.key));
    if (!index) throw new MongoCommandError('BadValue', `error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index (hint: ${formatKeyObject(isPlainObject(hint) ? hint : { name: hint })})`);
    const equality = this.equalityPlan(index, filter, collated);
    if (equality) return equality;
    const { idKeys, keysExamined } = index.scan();
    const docs = idKeys.map((idKey) => this.docs.get(idKey)).filter((doc): doc is Document => doc !== undefined);
    // A whole-index scan on mongod returns documents in key order; the hash map has none, so sort by the key pattern.
    const ordered = Object.values(index.spec.key).every((direction) => direction === 1 || direction === -1);
    return { stage: 'IXSCAN', index, docs: ordered ? sortDocuments(docs, index.spec.key) : docs, keysExamined };
  }
}

/** What explain needs to know about the index a plan used. */
export interface PlannedIndex {
  name: string;
  spec: IndexSpec;
  isMultiKey: boolean;
  unique: boolean;
  sparse: boolean;
  isPartial: boolean;
}

const ID_INDEX: PlannedIndex = { name: '_id_', spec: ID_INDEX_SPEC, isMultiKey: false, unique: true, sparse: false, isPartial: false };

/**
 * The planner's choice: `IDHACK` (the `_id` map), `IXSCAN` (an index), `COLLSCAN`
 * (`docs` undefined: every document), or `EOF` (no such collection). `keysExamined` counts index entries read.
 */
export interface QueryPlan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN' | 'EOF';
  index?: PlannedIndex;
  docs: Document[] | undefined;
  keysExamined: number;
}

function indexable(value: unknown): boolean {
  return !Array.isArray(value) && !(value instanceof RegExp) && (value as { _bsontype?: string } | null)?._bsontype !== 'BSONRegExp';
}

/**
 * The values `field` must equal under `filter` (`{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`, inside `$and`).
 * `collated`: the query compares strings under a collation, so a string equality is
 * not a key lookup (ICU's equal strings need not share a key); other values still are.
 */
export function equalityValues(filter: Document, field: string, collated = false): unknown[] | undefined {
  const values = equalityValuesOf(filter, field);
  return collated && values?.some((value) => typeof value === 'string') ? undefined : values;
}

function equalityValuesOf(filter: Document, field: string): unknown[] | undefined {
  if (field in filter) {
    const condition = filter[field];
    if (isPlainObject(condition) && Object.keys(condition)[0]?.startsWith('$')) {
      const keys = Object.keys(condition);
      if ('$eq' in condition && indexable(condition.$eq)) return [condition.$eq];
      if (keys.length === 1 && Array.isArray(condition.$in) && condition.$in.every(indexable)) return condition.$in;
    } else if (indexable(condition)) {
      return [condition];
    }
  }
  if (Array.isArray(filter.$and)) {
    for (const clause of filter.$and) {
      if (!isPlainObject(clause)) continue;
      const values = equalityValuesOf(clause, field);
      if (values) return values;
    }
  }
  return undefined;
}
