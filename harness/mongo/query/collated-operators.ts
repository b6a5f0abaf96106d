/**
 * Comparison operators under a collation. mingo compares strings by code unit, so
 * when a command has a collation, compileFilter renames `$eq`, `$ne`, `$gt`, `$gte`,
 * `$lt`, `$lte`, `$in` and `$nin` (and implicit equality on a string) to the versions
 * below, which compare strings with the collation's `Intl.Collator` and hand every
 * other operand to mingo's own operator, so non-strings behave exactly as before.
 * The collation reaches them through mingo's `collation` option.
 */
import type { Document } from 'bson';
import { $eq, $gt, $gte, $in, $lt, $lte } from 'mingo/operators/query/comparison';
import type { CollationSpec, Options } from 'mingo/types';
import { isPlainObject } from '../storage/values';
import { DBREF_FIELDS } from './comparable';
import { type LeafOperator, leaves } from './bson-operators';
import type { Collation } from './collation';

/** mingo carries `mingoSpec`; the Collation it stands for is found here. */
const byMingoSpec = new WeakMap<object, Collation>();

export function registerCollation(collation: Collation): CollationSpec {
  byMingoSpec.set(collation.mingoSpec, collation);
  return collation.mingoSpec;
}

type Mingo = (selector: string, operand: never, options: Options) => (doc: Document) => boolean;
type Ordering = (order: number) => boolean;

/** The strings a path ends on, and those inside arrays there (as an operator tests array elements). */
function stringsAt(doc: Document, parts: string[]): string[] {
  return leaves(doc, parts).flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value): value is string => typeof value === 'string');
}

function collationOf(options: unknown): Collation {
  const spec = (options as { collation?: object }).collation;
  const collation = spec ? byMingoSpec.get(spec) : undefined;
  if (!collation) throw new Error('a collated operator ran without its collation');
  return collation;
}

function comparison(mingo: Mingo, accepts: Ordering): LeafOperator {
  return (selector, operand, options) => {
    if (typeof operand !== 'string') return mingo(selector, operand as never, options as Options);
    const { compare } = collationOf(options);
    const parts = selector.split('.');
    return (doc) => stringsAt(doc, parts).some((value) => accepts(compare(value, operand)));
  };
}

const collatedIn: LeafOperator = (selector, operand, options) => {
  const values = Array.isArray(operand) ? operand : [];
  const strings = values.filter((value): value is string => typeof value === 'string');
  const others = values.filter((value) => typeof value !== 'string');
  const base = strings.length === 0 || others.length > 0 ? $in(selector, others, options as Options) : () => false;
  if (strings.length === 0) return base;
  const { compare } = collationOf(options);
  const parts = selector.split('.');
  return (doc) => base(doc) || stringsAt(doc, parts).some((value) => strings.some((s) => compare(value, s) === 0));
};

const negated = (operator: LeafOperator): LeafOperator => (selector, operand, options) => {
  const test = operator(selector, operand, options);
  return (doc) => !test(doc);
};

const collatedEq = comparison($eq, (order) => order === 0);
const COLLATED: Record<string, LeafOperator> = {
  $eq: collatedEq,
  $ne: negated(collatedEq),
  $gt: comparison($gt, (order) => order > 0),
  $gte: comparison($gte, (order) => order >= 0),
  $lt: comparison($lt, (order) => order < 0),
  $lte: comparison($lte, (order) => order <= 0),
  $in: collatedIn,
  $nin: negated(collatedIn),
};

const renamed = (operator: string): string => `$collated_${operator.slice(1)}`;

/** The collated operators under their renamed names, for mingo's context. */
export const COLLATED_QUERY_OPERATORS: Record<string, LeafOperator> = Object.fromEntries(Object.entries(COLLATED).map(([name, operator]) => [renamed(name), operator]));

/** `filter` with its comparisons renamed to the collated operators (recursively through `$and`, `$not`, `$elemMatch` ...). */
export function withCollatedOperators(filter: Document): Document {
  const out: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((clause) => (isPlainObject(clause) ? withCollatedOperators(clause) : clause));
    } else if (key.startsWith('$')) {
      out[key] = value;
    } else if (isPlainObject(value) && Object.keys(value)[0]?.startsWith('$') && !DBREF_FIELDS.has(Object.keys(value)[0] as string)) {
      out[key] = renameComparisons(value);
    } else {
      out[key] = typeof value === 'string' ? { [renamed('$eq')]: value } : value;
    }
  }
  return out;
}

function renameComparisons(spec: Document): Document {
  const out: Document = {};
  for (const [operator, operand] of Object.entries(spec)) {
    const name = operator in COLLATED ? renamed(operator) : operator;
    if (operator === '$not' && isPlainObject(operand)) out[name] = renameComparisons(operand);
    else if (operator === '$elemMatch' && isPlainObject(operand)) {
      const first = Object.keys(operand)[0];
      out[name] = first?.startsWith('$') && !['$and', '$or', '$nor', '$expr', '$where'].includes(first) ? renameComparisons(operand) : withCollatedOperators(operand);
    } else out[name] = operand;
  }
  return out;
}
