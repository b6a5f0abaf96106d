/**
 * Query filters: validated here (so an unknown or unsupported operator answers a
 * MongoDB error naming it), matched by mingo against comparable views.
 */
import type { Document } from 'bson';
import { Query } from 'mingo';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import { validateTypeSpec, withBsonOperators } from './bson-operators';
import type { Collation } from './collation';
import { withCollatedOperators } from './collated-operators';
import { comparableOperand, DBREF_FIELDS, viewOf } from './comparable';
import { mingoOptions, withMingo } from './mingo-options';
import { aliasProto, mentionsProto } from './proto-fields';
import { bindServerScripts } from './server-script';
import { parseTextOperand, type TextQuery } from './text-search';
import { NEAR_OPERATORS, type NearQuery, withoutNear } from './geo-near';

const TOP_LEVEL = new Set(['$and', '$or', '$nor', '$expr', '$comment', '$jsonSchema', '$where', '$alwaysTrue', '$alwaysFalse', '$text']);
const FIELD_OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$type', '$regex', '$options', '$mod',
  '$all', '$elemMatch', '$size', '$not', '$bitsAllClear', '$bitsAllSet', '$bitsAnyClear', '$bitsAnySet',
  '$geoWithin', '$within', '$geoIntersects',
]);
const UNSUPPORTED = new Set(['$search', '$vectorSearch']);
/** Allowed only beside `$near`/`$nearSphere` (query/geo-near.ts). */
const NEAR_OPTIONS = new Set(['$maxDistance', '$minDistance']);

function unsupported(operator: string): MongoCommandError {
  return new MongoCommandError(
    'BadValue',
    `${operator} is not supported by the embedded MongoDB engine (harness/mongo); run the spec against a real mongod with MONGO_URL to use it`,
  );
}

function isOperatorObject(value: unknown): value is Document {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$') && !DBREF_FIELDS.has(first);
}

/** `topLevel`: a field of the filter itself or of a top-level `$and`, the only place `$near` may be. */
function validateFieldOperators(spec: Document, topLevel = false): void {
  for (const [operator, operand] of Object.entries(spec)) {
    if (UNSUPPORTED.has(operator)) throw unsupported(operator);
    if (NEAR_OPERATORS.has(operator)) {
      if (!topLevel) throw new MongoCommandError('BadValue', 'geoNear must be top-level expr');
      continue;
    }
    if (NEAR_OPTIONS.has(operator) && Object.keys(spec).some((key) => NEAR_OPERATORS.has(key))) continue;
    if (!FIELD_OPERATORS.has(operator)) throw new MongoCommandError('BadValue', `unknown operator: ${operator}`);
    if ((operator === '$in' || operator === '$nin' || operator === '$all') && !Array.isArray(operand)) {
      throw new MongoCommandError('BadValue', `${operator} needs an array, got ${JSON.stringify(operand)}`);
    }
    if (operator === '$elemMatch') {
      if (!isPlainObject(operand)) throw new MongoCommandError('BadValue', '$elemMatch needs an Object');
      if (isOperatorObject(operand) && !TOP_LEVEL.has(Object.keys(operand)[0] as string)) validateFieldOperators(operand);
      else validateFilter(operand, true);
    }
    if (operator === '$not' && isPlainObject(operand)) validateFieldOperators(operand);
    if (operator === '$type') validateTypeSpec(operand);
  }
}

/**
 * Throws the error mongod would give for an operator it does not know (code 2, BadValue).
 * `nested`: inside `$or`, `$nor` or `$elemMatch`, where `$text` may not appear.
 */
export function validateFilter(filter: Document, nested = false): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$') && !DBREF_FIELDS.has(key)) {
      if (UNSUPPORTED.has(key)) throw unsupported(key);
      if (!TOP_LEVEL.has(key)) throw new MongoCommandError('BadValue', `unknown top level operator: ${key}`);
      if (key === '$text' && nested) throw new MongoCommandError('BadValue', '$text is only allowed at the top level of a query or in a top-level $and');
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (!Array.isArray(value) || value.length === 0) throw new MongoCommandError('BadValue', `${key} argument must be a non-empty array`);
        for (const clause of value) {
          if (!isPlainObject(clause)) throw new MongoCommandError('BadValue', `${key} argument's entries must be objects`);
          validateFilter(clause, nested || key !== '$and');
        }
      }
    } else if (isOperatorObject(value)) {
      validateFieldOperators(value, !nested);
    }
  }
}

/**
 * `{ f: { $all: [a, b] } }` means `{ $and: [{ f: a }, { f: b }] }` on mongod, which
 * also matches a scalar `f` equal to the one value; mingo only matches arrays.
 * Rewritten here, recursively through `$and`/`$or`/`$nor`.
 */
function allAsConjunction(filter: Document): Document {
  const out: Document = {};
  const extra: Document[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((clause) => (isPlainObject(clause) ? allAsConjunction(clause) : clause));
    } else if (!key.startsWith('$') && isOperatorObject(value) && Array.isArray(value.$all) && value.$all.length > 0) {
      // An empty $all matches nothing; mingo already agrees, so it stays as it is.
      const { $all: all, ...others } = value;
      for (const item of all as unknown[]) extra.push({ [key]: item });
      if (Object.keys(others).length > 0) out[key] = others;
    } else {
      out[key] = value;
    }
  }
  if (extra.length === 0) return out;
  return Object.keys(out).length === 0 && extra.length === 1 ? (extra[0] as Document) : { $and: [...(out.$and as Document[] | undefined ?? []), { ...withoutAnd(out) }, ...extra].filter((clause) => Object.keys(clause).length > 0) };
}

function withoutAnd(filter: Document): Document {
  const { $and: _and, ...rest } = filter;
  return rest;
}

export interface Matcher {
  readonly filter: Document;
  /** The `$text` condition, which the reader scores against the collection's text index; `test` ignores it. */
  readonly text?: TextQuery;
  /** The `$near`/`$nearSphere` condition, which the reader ranks by (query/geo-near.ts); `test` ignores it. */
  readonly near?: NearQuery;
  readonly matchesAll: boolean;
  test(doc: Document): boolean;
}

/** Does `filter` hold a `$text` condition (where one may be: top level or a top-level `$and`)? */
export function hasText(filter: Document | undefined): boolean {
  if (!filter) return false;
  return '$text' in filter || (Array.isArray(filter.$and) && filter.$and.some((clause) => isPlainObject(clause) && '$text' in clause));
}

/** The filter without its `$text` (top level or in a top-level `$and`), and that `$text`. */
function withoutText(filter: Document): { rest: Document; text: TextQuery | undefined } {
  let text: TextQuery | undefined;
  const take = (operand: unknown): void => {
    if (text) throw new MongoCommandError('BadValue', 'Too many text expressions');
    text = parseTextOperand(operand);
  };
  const rest: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$text') {
      take(value);
    } else if (key === '$and' && Array.isArray(value)) {
      const clauses = (value as Document[]).map((clause) => {
        if (!('$text' in clause)) return clause;
        const { $text: operand, ...others } = clause;
        take(operand);
        return others;
      }).filter((clause) => Object.keys(clause).length > 0);
      if (clauses.length > 0) rest.$and = clauses;
    } else {
      rest[key] = value;
    }
  }
  return { rest, text };
}

/**
 * `collation`: the command's (or the collection's default); strings then compare with it.
 * `allowText`: only readers that score `$text` against a text index or rank by `$near`
 * (commands/matching.ts) accept them; validators, partial filters and the like answer
 * BadValue, as mongod does.
 */
export function compileFilter(filter: unknown, allowText = false, collation?: Collation): Matcher {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) {
    throw new MongoCommandError('TypeMismatch', `filter must be an object, got ${JSON.stringify(filter)}`);
  }
  const spec = (filter ?? {}) as Document;
  if (Object.keys(spec).length === 0) return { filter: spec, matchesAll: true, test: () => true };
  validateFilter(spec);
  // Only a filter naming `__proto__` pays for renaming it in every document it tests;
  // renamed first, so that no rewrite below assigns to a `__proto__` key.
  const proto = mentionsProto(spec);
  const { rest: withoutItsText, text } = withoutText(proto ? aliasProto(spec) : spec);
  if (text && !allowText) throw new MongoCommandError('BadValue', '$text is not allowed in this context');
  const { rest, near } = withoutNear(withoutItsText);
  if (near && !allowText) throw new MongoCommandError('BadValue', '$geoNear, $near, and $nearSphere are not allowed in this context');
  if (Object.keys(rest).length === 0) return { filter: spec, text, near, matchesAll: true, test: () => true };
  const bson = withBsonOperators(allAsConjunction(rest));
  const bound = bindServerScripts(comparableOperand(collation ? withCollatedOperators(bson) : bson));
  const query = withMingo('invalid query', () => new Query(bound.spec, mingoOptions({ scriptEnabled: bound.scripts, collation })));
  return {
    filter: spec,
    text,
    near,
    matchesAll: false,
    test: (doc) => withMingo('query failed', () => query.test(proto ? aliasProto(viewOf(doc)) : viewOf(doc))),
  };
}
