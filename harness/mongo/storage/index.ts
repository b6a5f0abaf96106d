/**
 * A secondary index: a Map from the canonical key of the indexed value(s) to the
 * `_id` keys of the documents holding them. Two maps for compound indexes: `full`
 * (the whole key tuple, which unique enforcement needs) and `prefix` (the first
 * field alone, which answers equality queries on that field). For a single-field
 * index they are the same Map.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { type Collation, parseCollation } from '../query/collation';
import { compileFilter, type Matcher } from '../query/filter';
import { formatKeyObject } from './format';
import { canonicalKey } from './keys';
import { checkGeoKeys, GEO_KEY, hasLocation, isGeoIndex, isGeoKind } from './geo-index';
import { checkTextLanguage, isTextIndex } from './text-index';
import { getPath, valuesAtPath } from './values';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

const UNSUPPORTED_TYPES = new Set(['geoHaystack', 'wildcard']);

/** mongod's default index name: `email_1`, `a_1_b_-1`. */
export function defaultIndexName(key: Document): string {
  return Object.entries(key).map(([field, dir]) => `${field}_${String(dir)}`).join('_');
}

export function checkKeyPattern(key: unknown): asserts key is Document {
  if (key === null || typeof key !== 'object' || Array.isArray(key) || Object.keys(key).length === 0) {
    throw new MongoCommandError('BadValue', `Index key pattern must be a non-empty object, got ${JSON.stringify(key)}`);
  }
  for (const [field, direction] of Object.entries(key)) {
    if (typeof direction === 'string') {
      if (direction === 'text' || isGeoKind(direction)) continue;
      if (UNSUPPORTED_TYPES.has(direction) || field.includes('$**')) {
        throw new MongoCommandError('CommandNotSupported', `"${direction}" indexes (on "${field}") are not supported by the embedded MongoDB engine; use a real mongod via MONGO_URL`);
      }
      if (direction !== 'hashed') throw new MongoCommandError('BadValue', `Unknown index plugin '${direction}' on "${field}"`);
    } else if (Number(direction) === 0 || Number.isNaN(Number(direction))) {
      throw new MongoCommandError('BadValue', `Values in the index key pattern can't be 0 or NaN, got ${JSON.stringify(direction)} for "${field}"`);
    }
  }
}

export class Index {
  readonly fields: string[];
  private readonly full = new Map<string, Set<string>>();
  private readonly prefix: Map<string, Set<string>>;
  private readonly partial: Matcher | undefined;
  /** Set once a document holds an array at an indexed path; like mongod, it stays set. */
  private multiKey = false;
  /** A text index holds no keys here: `$text` scores the documents themselves (text-index.ts). */
  private readonly text: boolean;
  /** Nor does a geo index, beyond which documents have a location: `$near` and `$geoNear` rank the documents themselves (geo-index.ts). */
  private readonly geo: boolean;
  /** The index's collation: string keys are folded with it (query/collation.ts). */
  private readonly collation: Collation | undefined;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.text = isTextIndex(spec);
    this.geo = isGeoIndex(spec);
    this.collation = parseCollation(spec.collation);
    this.prefix = this.fields.length === 1 ? this.full : new Map();
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Can equality on the first field be answered from this index alone? */
  get answersEquality(): boolean {
    return this.partial === undefined && !this.text && !this.geo;
  }

  get sparse(): boolean {
    return this.spec.sparse === true;
  }

  /** Index entries for a document: `[fullKey, prefixKey, values]`; none when sparse/partial exclude it. */
  private entries(doc: Document): Array<{ full: string; prefix: string; values: unknown[] }> {
    if (this.text) return [];
    // A geo index keeps one key for every document with a location, so that a hint
    // naming it scans those documents, as mongod's would (its geo keys are not kept).
    if (this.geo) return hasLocation(this.spec, doc) && (!this.partial || this.partial.test(doc)) ? [{ full: GEO_KEY, prefix: GEO_KEY, values: [] }] : [];
    if (this.partial && !this.partial.test(doc)) return [];
    if (this.sparse && this.fields.every((f) => getPath(doc, f) === undefined)) return [];
    let tuples: unknown[][] = [[]];
    for (const field of this.fields) {
      const values = valuesAtPath(doc, field);
      const next: unknown[][] = [];
      for (const tuple of tuples) for (const value of values) next.push([...tuple, value]);
      tuples = next;
    }
    const seen = new Set<string>();
    const out: Array<{ full: string; prefix: string; values: unknown[] }> = [];
    for (const raw of tuples) {
      // Under a collation, strings are keyed by their folded form, so that unique
      // indexes see "Ann" and "ann" as one key at strength 1 or 2, as on mongod.
      const values = this.collation ? raw.map((v) => (typeof v === 'string' ? (this.collation as Collation).fold(v) : v)) : raw;
      const full = this.fields.length === 1 ? canonicalKey(values[0]) : canonicalKey(values.map((v) => v ?? null));
      if (seen.has(full)) continue;
      seen.add(full);
      out.push({ full, prefix: canonicalKey(values[0]), values: raw });
    }
    return out;
  }

  /** The unique-key entries of `doc` (none for a non-unique index), for transaction-aware unique checks. */
  uniqueEntries(doc: Document): Array<{ full: string; values: unknown[] }> {
    return this.unique ? this.entries(doc) : [];
  }

  /** `_id` keys of the committed documents holding the full key `full`. */
  holdersOf(full: string): Iterable<string> {
    return this.full.get(full) ?? [];
  }

  /** Throws DuplicateKey (11000) when `doc` would collide with a document other than `idKey`. */
  check(doc: Document, idKey: string): void {
    if (this.text) checkTextLanguage(this.spec, doc);
    if (this.geo) checkGeoKeys(this.spec, doc);
    if (!this.unique || this.geo) return;
    for (const entry of this.entries(doc)) {
      const holders = this.full.get(entry.full);
      if (!holders) continue;
      for (const holder of holders) {
        if (holder !== idKey) throw this.duplicate(entry.values);
      }
    }
  }

  duplicate(values: unknown[]): MongoCommandError {
    const keyValue: Document = {};
    this.fields.forEach((field, i) => {
      keyValue[field] = values[i] ?? null;
    });
    return new MongoCommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.ns} index: ${this.name} dup key: ${formatKeyObject(keyValue)}`,
      { keyPattern: this.spec.key, keyValue },
    );
  }

  add(doc: Document, idKey: string): void {
    if (!this.multiKey && this.fields.some((field) => valuesAtPath(doc, field).length > 1 || Array.isArray(getPath(doc, field)))) this.multiKey = true;
    for (const entry of this.entries(doc)) {
      addTo(this.full, entry.full, idKey);
      if (this.prefix !== this.full) addTo(this.prefix, entry.prefix, idKey);
    }
  }

  remove(doc: Document, idKey: string): void {
    for (const entry of this.entries(doc)) {
      removeFrom(this.full, entry.full, idKey);
      if (this.prefix !== this.full) removeFrom(this.prefix, entry.prefix, idKey);
    }
  }

  /** Whether some document holds an array at an indexed path (mongod's multikey flag, for explain). */
  get isMultiKey(): boolean {
    return this.multiKey;
  }

  get isPartial(): boolean {
    return this.partial !== undefined;
  }

  /** Every `_id` key in the index, each once, in key order of insertion: a full index scan (a hinted index with no equality to use). */
  scan(): { idKeys: string[]; keysExamined: number } {
    const idKeys = new Set<string>();
    let keysExamined = 0;
    for (const holders of this.prefix.values()) {
      for (const idKey of holders) {
        keysExamined += 1;
        idKeys.add(idKey);
      }
    }
    return { idKeys: [...idKeys], keysExamined };
  }

  /** `_id` keys whose first indexed field equals `value` (canonically). */
  lookup(value: unknown): Iterable<string> {
    return this.prefix.get(canonicalKey(this.collation && typeof value === 'string' ? this.collation.fold(value) : value)) ?? [];
  }
}

function addTo(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const set = map.get(key);
  if (set) set.add(idKey);
  else map.set(key, new Set([idKey]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(idKey);
  if (set.size === 0) map.delete(key);
}
