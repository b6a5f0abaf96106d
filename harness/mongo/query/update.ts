/**
 * Applying an update (`u` of the update command, `update` of findAndModify) to one
 * document: operator documents via `mingo/updater`, replacements, and aggregation
 * pipelines. What mingo lacks is done here: `$setOnInsert`, numeric promotion for
 * `$inc`/`$mul` (Long, Decimal128), conflict detection (code 40), `_id`
 * immutability (code 66) and upsert seeding from the filter.
 */
import { BSON, type Document, ObjectId } from 'bson';
import { Aggregator } from 'mingo';
import { update as mingoUpdate } from 'mingo/updater';
import { MongoCommandError } from '../errors';
import { deserialize } from '../wire/codec';
import { canonicalKey } from '../storage/keys';
import { arithmetic } from '../storage/numeric';
import { bsonTypeName, getPath, isNumeric, isPlainObject } from '../storage/values';
import { compileFilter } from './filter';
import { mingoOptions, withMingo } from './mingo-options';
import { applyLiteralPaths } from './literal-paths';
import { resolvePositionalPaths } from './positional';
import { bindServerScripts } from './server-script';

const MODIFIERS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll',
  '$addToSet', '$pop', '$bit', '$currentDate', '$setOnInsert',
]);
const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateKind = 'replacement' | 'operators' | 'pipeline';

/** A deep copy with the same BSON types, so updates never touch a stored document. */
export function cloneDocument(doc: Document): Document {
  return deserialize(BSON.serialize(doc, { ignoreUndefined: true }));
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function pathsConflict(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** Classifies and validates an update; throws the error mongod gives for a malformed one. */
export function checkUpdate(update: unknown): UpdateKind {
  if (Array.isArray(update)) {
    for (const stage of update) {
      const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
      if (name === undefined || !PIPELINE_STAGES.has(name)) {
        throw new MongoCommandError('InvalidOptions', `${name ?? quote(stage)} is not allowed to be used within an update (allowed: ${[...PIPELINE_STAGES].join(', ')})`);
      }
    }
    return 'pipeline';
  }
  if (!isPlainObject(update)) throw new MongoCommandError('FailedToParse', `Update argument must be either an object or an array, got ${quote(update)}`);
  const keys = Object.keys(update);
  if (!keys.some((k) => k.startsWith('$'))) return 'replacement';
  const seen: Array<[string, string]> = [];
  for (const key of keys) {
    if (!MODIFIERS.has(key)) {
      throw new MongoCommandError('FailedToParse', `Unknown modifier: ${key}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    const spec = update[key];
    if (!isPlainObject(spec)) {
      throw new MongoCommandError('FailedToParse', `Modifiers operate on fields but we found type ${bsonTypeName(spec)} instead. For example: {$mod: {<field>: ...}} not {${key}: ${quote(spec)}}`);
    }
    for (const [path, operand] of Object.entries(spec)) {
      const paths = key === '$rename' && typeof operand === 'string' ? [path, operand] : [path];
      for (const p of paths) {
        const clash = seen.find(([other]) => pathsConflict(other, p));
        if (clash) throw new MongoCommandError('ConflictingUpdateOperators', `Updating the path '${p}' would create a conflict at '${clash[0].length <= p.length ? clash[0] : p}'`);
        seen.push([p, key]);
      }
      if ((key === '$inc' || key === '$mul') && !isNumeric(operand)) {
        const verb = key === '$inc' ? 'increment' : 'multiply';
        throw new MongoCommandError('TypeMismatch', `Cannot ${verb} with non-numeric argument: {${path}: ${quote(operand)}}`);
      }
    }
  }
  return 'operators';
}

/** `$inc`/`$mul` on plain paths become `$set`s of the promoted result (mingo only knows JS numbers). */
function resolveArithmetic(doc: Document, modifier: Document): Document {
  const next: Document = { ...modifier };
  const sets: Document = { ...(modifier.$set as Document | undefined) };
  for (const [operator, op] of [['$inc', 'add'], ['$mul', 'mul']] as const) {
    const spec = modifier[operator] as Document | undefined;
    if (!spec) continue;
    const rest: Document = {};
    for (const [path, operand] of Object.entries(spec)) {
      if (path.includes('$')) {
        rest[path] = operand;
        continue;
      }
      const current = getPath(doc, path);
      if (current !== undefined && current !== null && !isNumeric(current)) {
        throw new MongoCommandError(
          'TypeMismatch',
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${quote(String(doc._id))}} has the field '${path}' of non-numeric type ${bsonTypeName(current)}`,
        );
      }
      if (current === undefined || current === null) sets[path] = op === 'add' ? operand : arithmetic(0, operand, 'mul');
      else sets[path] = arithmetic(current, operand, op);
    }
    if (Object.keys(rest).length > 0) next[operator] = rest;
    else delete next[operator];
  }
  if (Object.keys(sets).length > 0) next.$set = sets;
  return next;
}

export interface UpdateOptions {
  arrayFilters?: Document[];
  /** The query that selected the document, for the positional `$` operator. */
  filter?: Document;
  /** True when the update builds a new document for an upsert ($setOnInsert applies). */
  inserting?: boolean;
}

export interface UpdateOutcome {
  doc: Document;
  modified: boolean;
}

function withIdFirst(doc: Document, id: unknown): Document {
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

/** Applies `update` to a copy of `stored`; the stored document is left untouched. */
export function applyUpdate(stored: Document, update: Document | Document[], kind: UpdateKind, options: UpdateOptions = {}): UpdateOutcome {
  const before = canonicalKey(stored);
  let doc: Document;
  if (kind === 'replacement') {
    const replacement = update as Document;
    if (replacement._id !== undefined && stored._id !== undefined && canonicalKey(replacement._id) !== canonicalKey(stored._id)) {
      throw immutableId(stored, replacement._id);
    }
    doc = withIdFirst(cloneDocument(replacement), stored._id ?? replacement._id);
  } else if (kind === 'pipeline') {
    const [result] = withMingo('update pipeline failed', () => {
      const bound = bindServerScripts(update as Document[]);
      return new Aggregator(bound.spec, mingoOptions({ cloneInput: true, scriptEnabled: bound.scripts })).run<Document>([cloneDocument(stored)]);
    });
    doc = result ?? {};
  } else {
    doc = cloneDocument(stored);
    const { $setOnInsert, ...operators } = update as Document;
    let modifier: Document = operators;
    if (options.inserting && isPlainObject($setOnInsert)) modifier = { ...modifier, $set: { ...(modifier.$set as Document | undefined), ...$setOnInsert } };
    modifier = resolvePositionalPaths(modifier, { doc, filter: options.filter, arrayFilters: options.arrayFilters });
    modifier = takeIdAssignment(doc, stored, modifier);
    checkPathsViable(doc, modifier);
    modifier = applyLiteralPaths(doc, modifier, cloneValue);
    modifier = resolveArithmetic(doc, modifier);
    modifier = resolveLogicalPulls(doc, modifier);
    modifier = resolvePushOnMissing(doc, modifier);
    if (Object.keys(modifier).length > 0) {
      withMingo('update failed', () => mingoUpdate(doc, modifier, undefined, undefined, { cloneMode: 'deep' }));
      assignUnequalSets(doc, modifier.$set as Document | undefined);
    }
  }
  if (stored._id !== undefined && canonicalKey(doc._id) !== canonicalKey(stored._id)) throw immutableId(stored, doc._id);
  if (doc._id !== undefined && Object.keys(doc)[0] !== '_id') doc = withIdFirst(doc, doc._id);
  return { doc, modified: canonicalKey(doc) !== before };
}

/**
 * mingo skips a `$set` whose value it finds equal to the current one, and it finds
 * BinData equal by bytes alone; mongod compares the subtype too. Once mingo has laid
 * out the path, any set value that still differs is assigned here.
 */
function assignUnequalSets(doc: Document, sets: Document | undefined): void {
  for (const [path, value] of Object.entries(sets ?? {})) {
    if (canonicalKey(getPath(doc, path)) === canonicalKey(value)) continue;
    const parts = path.split('.');
    const parent = getPath(doc, parts.slice(0, -1).join('.') || '') ?? undefined;
    const container = parts.length === 1 ? doc : parent;
    if (container !== null && typeof container === 'object') (container as Document)[parts[parts.length - 1] as string] = cloneValue(value);
  }
}

const CREATING = ['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate'];
const ARRAY_ONLY: Record<string, (path: string, value: unknown, doc: Document) => MongoCommandError> = {
  $push: (path, value, doc) => new MongoCommandError('BadValue', `The field '${path}' must be an array but is of type ${bsonTypeName(value)} in document {_id: ${quote(String(doc._id))}}`),
  $addToSet: (path, value) => new MongoCommandError('BadValue', `Cannot apply $addToSet to non-array field. Field named '${path}' has non-array type ${bsonTypeName(value)}`),
  $pull: () => new MongoCommandError('BadValue', 'Cannot apply $pull to a non-array value'),
  $pullAll: () => new MongoCommandError('BadValue', 'Cannot apply $pullAll to a non-array value'),
  $pop: (path, value) => new MongoCommandError('TypeMismatch', `Path '${path}' contains an element of non-array type '${bsonTypeName(value)}'`),
};

/**
 * What mongod refuses and mingo would silently skip: creating a field below a
 * scalar or inside an array by name (PathNotViable, 28), and an array operator on
 * a field that holds something else. Positional paths are left to mingo.
 */
function checkPathsViable(doc: Document, modifier: Document): void {
  for (const [operator, spec] of Object.entries(modifier)) {
    for (const path of Object.keys(spec as Document)) {
      if (path.includes('$')) continue;
      if (CREATING.includes(operator)) {
        const parts = path.split('.');
        let current: unknown = doc;
        for (let i = 0; i < parts.length - 1; i += 1) {
          const part = parts[i] as string;
          const next = getPath(current, part);
          if (next === undefined || next === null) break;
          const child = parts[i + 1] as string;
          const viable = Array.isArray(next) ? /^\d+$/.test(child) : isPlainObject(next);
          if (!viable) {
            throw new MongoCommandError('PathNotViable', `Cannot create field '${child}' in element {${part}: ${quote(next)}}`);
          }
          current = next;
        }
      }
      const check = ARRAY_ONLY[operator];
      const value = getPath(doc, path);
      if (check && value !== undefined && value !== null && !Array.isArray(value)) throw check(path, value, doc);
    }
  }
}

/**
 * `$pull: { items: { $or: [...] } }` removes the elements matching the whole
 * condition on mongod; mingo removes nothing. Such pulls become a `$set` of the
 * kept elements, tested with the engine's own matcher.
 */
function resolveLogicalPulls(doc: Document, modifier: Document): Document {
  const pull = modifier.$pull as Document | undefined;
  if (!pull) return modifier;
  const rest: Document = {};
  const sets: Document = { ...(modifier.$set as Document | undefined) };
  for (const [path, condition] of Object.entries(pull)) {
    const logical = isPlainObject(condition) && Object.keys(condition).some((key) => key === '$or' || key === '$and' || key === '$nor');
    if (!logical || path.includes('$')) {
      rest[path] = condition;
      continue;
    }
    const current = getPath(doc, path);
    if (!Array.isArray(current)) continue;
    const matcher = compileFilter(condition);
    sets[path] = current.filter((item) => !(isPlainObject(item) && matcher.test(item)));
  }
  const next: Document = { ...modifier };
  if (Object.keys(rest).length > 0) next.$pull = rest;
  else delete next.$pull;
  if (Object.keys(sets).length > 0) next.$set = sets;
  return next;
}

/**
 * `$push` with `$each` and `$sort`/`$slice`/`$position` on a missing field: mongod
 * applies the modifiers to an empty array, mingo stores `$each` as it is. Such a
 * push becomes a `$set` of the empty array pushed to.
 */
function resolvePushOnMissing(doc: Document, modifier: Document): Document {
  const push = modifier.$push as Document | undefined;
  if (!push) return modifier;
  const rest: Document = {};
  const sets: Document = { ...(modifier.$set as Document | undefined) };
  for (const [path, operand] of Object.entries(push)) {
    const modifiers = isPlainObject(operand) && '$each' in operand && Object.keys(operand).length > 1;
    if (!modifiers || getPath(doc, path) !== undefined) {
      rest[path] = operand;
      continue;
    }
    const scratch: Document = { pushed: [] };
    withMingo('update failed', () => mingoUpdate(scratch, { $push: { pushed: operand } }, undefined, undefined, { cloneMode: 'deep' }));
    sets[path] = scratch.pushed;
  }
  const next: Document = { ...modifier };
  if (Object.keys(rest).length > 0) next.$push = rest;
  else delete next.$push;
  if (Object.keys(sets).length > 0) next.$set = sets;
  return next;
}

/**
 * mingo refuses any write to `_id`; mongod allows setting it to its current value,
 * and an upsert may set it outright. Handle both here, refuse the rest with code 66.
 */
function takeIdAssignment(doc: Document, stored: Document, modifier: Document): Document {
  const touched = Object.entries(modifier).flatMap(([op, spec]) => Object.keys(spec as Document).filter((p) => p === '_id' || p.startsWith('_id.')).map((p) => [op, p] as const));
  if (touched.length === 0) return modifier;
  const next: Document = { ...modifier };
  for (const [op, path] of touched) {
    const spec = { ...(next[op] as Document) };
    const value = spec[path];
    if (op === '$set' && path === '_id' && (stored._id === undefined || canonicalKey(value) === canonicalKey(stored._id))) {
      doc._id = cloneValue(value);
    } else {
      throw immutableId(stored, value);
    }
    delete spec[path];
    if (Object.keys(spec).length > 0) next[op] = spec;
    else delete next[op];
  }
  return next;
}

function immutableId(stored: Document, next: unknown): MongoCommandError {
  return new MongoCommandError(
    'ImmutableField',
    `Performing an update on the path '_id' would modify the immutable field '_id' (was ${quote(String(stored._id))}, update wants ${quote(String(next))})`,
  );
}

/** The document an upsert starts from: the filter's equality fields, dotted paths expanded. */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  const take = (clause: Document): void => {
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const sub of value) if (isPlainObject(sub)) take(sub);
        continue;
      }
      if (key.startsWith('$')) continue;
      let equal: unknown;
      if (isPlainObject(value) && Object.keys(value)[0]?.startsWith('$')) {
        if (!('$eq' in value)) continue;
        equal = value.$eq;
      } else {
        equal = value;
      }
      setPath(seed, key, cloneValue(equal));
    }
  };
  take(filter);
  return seed;
}

function cloneValue(value: unknown): unknown {
  return (cloneDocument({ v: value }) as { v: unknown }).v;
}

/** Sets own fields only: a `__proto__` or `constructor` part of the path is a field name, never a prototype. */
function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = doc;
  const own = (name: string, next: unknown): void => {
    Object.defineProperty(target, name, { value: next, enumerable: true, writable: true, configurable: true });
  };
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(target, part) || !isPlainObject(target[part])) own(part, {});
    target = target[part] as Document;
  }
  own(parts[parts.length - 1] as string, value);
}

/** Builds the document an upsert inserts. */
export function buildUpsert(filter: Document, update: Document | Document[], kind: UpdateKind, options: UpdateOptions): Document {
  const seed = upsertSeed(filter);
  let doc: Document;
  if (kind === 'replacement') {
    const replacement = cloneDocument(update as Document);
    doc = { ...(seed._id !== undefined ? { _id: seed._id } : {}), ...replacement };
  } else {
    doc = applyUpdate(seed, update, kind, { ...options, inserting: true }).doc;
  }
  if (doc._id === undefined) doc._id = new ObjectId();
  return withIdFirst(doc, doc._id);
}
