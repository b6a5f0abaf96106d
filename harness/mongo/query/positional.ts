/**
 * Positional update paths (`arr.$.a`, `arr.$[].a`, `arr.$[id].a`) resolved to the
 * concrete element paths they stand for (`arr.0.a`, `arr.2.a`), against the
 * document as it was before the update, as mongod does. The updater then sees plain
 * paths only, so two positional paths into one array (`arr.$.a` and `arr.$.b`) are
 * two fields of one element rather than two writes to `arr`, and an array filter is
 * not re-evaluated on an element an earlier path already changed.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { getPath, isPlainObject } from '../storage/values';
import { compileFilter, type Matcher } from './filter';

const POSITIONAL_SEGMENT = /^\$(\[[^\]]*\])?$/;

export function hasPositional(path: string): boolean {
  return path.split('.').some((part) => POSITIONAL_SEGMENT.test(part));
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `arrayFilters` grouped by the identifier each one names (`{ 'x.a': 1 }` is about `x`). */
function groupArrayFilters(arrayFilters: Document[] | undefined): Map<string, Matcher> {
  const grouped = new Map<string, Document>();
  for (const filter of arrayFilters ?? []) {
    if (!isPlainObject(filter)) throw new MongoCommandError('TypeMismatch', `Each array filter must be an object, got ${quote(filter)}`);
    let identifier: string | undefined;
    for (const key of Object.keys(filter)) {
      const id = key.split('.')[0] as string;
      if (identifier !== undefined && id !== identifier) {
        throw new MongoCommandError('FailedToParse', `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${identifier}' and '${id}'`);
      }
      identifier = id;
    }
    if (identifier === undefined) throw new MongoCommandError('FailedToParse', 'Cannot use an expression without a top-level field name in arrayFilters');
    if (grouped.has(identifier)) throw new MongoCommandError('FailedToParse', `Found multiple array filters with the same top-level field name ${identifier}`);
    grouped.set(identifier, filter);
  }
  return new Map([...grouped].map(([id, filter]) => [id, compileFilter(filter)]));
}

/** The query clauses about the array at `prefix` (top level and inside `$and`). */
function clausesAbout(filter: Document | undefined, prefix: string): Document[] {
  const found: Document[] = [];
  const visit = (clause: Document): void => {
    for (const [key, value] of Object.entries(clause)) {
      if (key === '$and' && Array.isArray(value)) value.filter(isPlainObject).forEach(visit);
      else if (key === prefix || key.startsWith(`${prefix}.`)) found.push({ [key]: value });
    }
  };
  if (filter) visit(filter);
  return found;
}

/** A document holding only `[element]` at `prefix`, for testing a query clause on one element. */
function holding(prefix: string, element: unknown): Document {
  const parts = prefix.split('.');
  let value: unknown = [element];
  for (let i = parts.length - 1; i >= 0; i -= 1) value = { [parts[i] as string]: value };
  return value as Document;
}

/**
 * What `$` stands for at `prefix`: the index of the first element of the array there
 * that every query clause about that array matches, or -1 (no array, no clause, no match).
 * Shared by positional updates and the positional projection (`{ 'arr.$': 1 }`).
 */
export function firstMatchingElement(doc: Document, filter: Document | undefined, prefix: string): number {
  const array = getPath(doc, prefix);
  const clauses = clausesAbout(filter, prefix).map((clause) => compileFilter(clause));
  if (!Array.isArray(array) || clauses.length === 0) return -1;
  return array.findIndex((element) => clauses.every((m) => m.test(holding(prefix, element))));
}

export interface PositionalContext {
  doc: Document;
  /** The query that selected `doc`, for `$`. */
  filter?: Document;
  arrayFilters?: Document[];
}

/**
 * Rewrites every positional path of an operator update into concrete paths.
 * Throws what mongod throws for a `$` the query did not match, an identifier with
 * no filter, a filter no path uses, and two paths that land on the same field.
 */
export function resolvePositionalPaths(modifier: Document, context: PositionalContext): Document {
  const filters = groupArrayFilters(context.arrayFilters);
  const used = new Set<string>();
  const firstMatch = new Map<string, number>();

  const indexesAt = (prefix: string, segment: string): number[] => {
    const array = getPath(context.doc, prefix);
    if (segment === '$') {
      let index = firstMatch.get(prefix);
      if (index === undefined) {
        index = firstMatchingElement(context.doc, context.filter, prefix);
        if (index < 0) throw new MongoCommandError('BadValue', 'The positional operator did not find the match needed from the query.');
        firstMatch.set(prefix, index);
      }
      return [index];
    }
    if (array === undefined || array === null) throw new MongoCommandError('BadValue', `The path '${prefix}' must exist in the document in order to apply array updates.`);
    if (!Array.isArray(array)) throw new MongoCommandError('BadValue', `Cannot apply array updates to non-array element ${prefix.split('.').pop() ?? prefix}: ${quote(array)}`);
    const identifier = segment.slice(2, -1);
    if (identifier === '') return array.map((_element, i) => i);
    const matcher = filters.get(identifier) as Matcher;
    return array.flatMap((element, i) => (matcher.test({ [identifier]: element }) ? [i] : []));
  };

  const expand = (path: string): string[] => {
    const parts = path.split('.');
    if (parts.filter((part) => part === '$').length > 1) {
      throw new MongoCommandError('BadValue', `Too many positional (i.e. '$') elements found in path '${path}'`);
    }
    let prefixes: string[][] = [[]];
    for (const part of parts) {
      if (!POSITIONAL_SEGMENT.test(part)) {
        prefixes = prefixes.map((prefix) => [...prefix, part]);
        continue;
      }
      if (prefixes.some((prefix) => prefix.length === 0)) throw new MongoCommandError('BadValue', `Cannot have a positional operator at the start of the path '${path}'`);
      prefixes = prefixes.flatMap((prefix) => indexesAt(prefix.join('.'), part).map((i) => [...prefix, String(i)]));
    }
    return prefixes.map((prefix) => prefix.join('.'));
  };

  // Identifiers are checked on the paths as written: an empty array still "uses" its filter.
  for (const spec of Object.values(modifier)) {
    for (const path of isPlainObject(spec) ? Object.keys(spec) : []) {
      for (const part of path.split('.')) {
        const identifier = /^\$\[(.+)\]$/.exec(part)?.[1];
        if (identifier === undefined) continue;
        if (!filters.has(identifier)) throw new MongoCommandError('BadValue', `No array filter found for identifier '${identifier}' in path '${path}'`);
        used.add(identifier);
      }
    }
  }
  for (const identifier of filters.keys()) {
    if (!used.has(identifier)) {
      throw new MongoCommandError('FailedToParse', `The array filter for identifier '${identifier}' was not used in the update ${quote(modifier)}`);
    }
  }
  if (!Object.values(modifier).some((spec) => isPlainObject(spec) && Object.keys(spec).some(hasPositional))) return modifier;

  const next: Document = {};
  const written: string[] = [];
  for (const [operator, spec] of Object.entries(modifier)) {
    const resolved: Document = {};
    for (const [path, operand] of Object.entries(spec as Document)) {
      for (const concrete of hasPositional(path) ? expand(path) : [path]) {
        const clash = written.find((other) => other === concrete || other.startsWith(`${concrete}.`) || concrete.startsWith(`${other}.`));
        if (clash !== undefined) throw new MongoCommandError('ConflictingUpdateOperators', `Update created a conflict at '${clash.length <= concrete.length ? clash : concrete}'`);
        written.push(concrete);
        resolved[concrete] = operand;
      }
    }
    if (Object.keys(resolved).length > 0) next[operator] = resolved;
  }
  return next;
}
