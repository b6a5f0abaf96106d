/**
 * Query operators whose meaning depends on BSON types mingo does not know: `$type`
 * (binData, objectId, timestamp, minKey, maxKey, by alias or number) and the bitwise
 * operators on BinData as well as numbers. mingo keeps its own operators of the same
 * names, so compileFilter renames these in the filter (`$type` → `$bson_type`) and
 * registers the implementations below under the new names. They see comparable views
 * (query/comparable.ts): wrapped numbers are plain numbers, BinData a BinaryView.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { bsonTag, isPlainObject } from '../storage/values';
import { BinaryView, DBREF_FIELDS, dbrefField, storedOf } from './comparable';
import { GEO_OPERATOR_NAMES } from './geo-operators';

type Predicate = (value: unknown) => boolean;
const isNumber = (value: unknown): value is number => typeof value === 'number' && !Number.isNaN(value);

const INT32_MAX = 0x7fffffff;

/**
 * The BSON number type of a stored value. Integral doubles are stored as `Double`
 * (wire/codec.ts), so a plain JS integer in int32 range was sent as an int32; any
 * other plain number is a double.
 */
function numberType(value: unknown): 'double' | 'int' | 'long' | 'decimal' | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= INT32_MAX ? 'int' : 'double';
  const tag = bsonTag(value);
  if (tag === 'Int32') return 'int';
  if (tag === 'Double') return 'double';
  if (tag === 'Long') return 'long';
  if (tag === 'Decimal128') return 'decimal';
  return undefined;
}

/** mongod's `$type` aliases and their numbers, tested on stored values; `number` stands for every numeric type. */
const TYPES: Record<string, [number, Predicate]> = {
  double: [1, (v) => numberType(v) === 'double'],
  string: [2, (v) => typeof v === 'string'],
  object: [3, (v) => isPlainObject(v) || bsonTag(v) === 'DBRef'],
  array: [4, Array.isArray],
  binData: [5, (v) => v instanceof BinaryView || bsonTag(v) === 'Binary'],
  undefined: [6, (v) => v === undefined],
  objectId: [7, (v) => bsonTag(v) === 'ObjectId'],
  bool: [8, (v) => typeof v === 'boolean'],
  date: [9, (v) => v instanceof Date],
  null: [10, (v) => v === null],
  regex: [11, (v) => v instanceof RegExp || bsonTag(v) === 'BSONRegExp'],
  dbPointer: [12, (v) => bsonTag(v) === 'DBPointer'],
  javascript: [13, (v) => bsonTag(v) === 'Code' && (v as { scope?: unknown }).scope == null],
  symbol: [14, (v) => bsonTag(v) === 'BSONSymbol'],
  javascriptWithScope: [15, (v) => bsonTag(v) === 'Code' && (v as { scope?: unknown }).scope != null],
  int: [16, (v) => numberType(v) === 'int'],
  timestamp: [17, (v) => bsonTag(v) === 'Timestamp'],
  long: [18, (v) => numberType(v) === 'long'],
  decimal: [19, (v) => numberType(v) === 'decimal'],
  minKey: [-1, (v) => bsonTag(v) === 'MinKey'],
  maxKey: [127, (v) => bsonTag(v) === 'MaxKey'],
};
const BY_NUMBER = new Map(Object.values(TYPES).map(([code, test]) => [code, test]));

function typePredicate(spec: unknown): Predicate {
  if (spec === 'number') return (v) => numberType(v) !== undefined;
  if (typeof spec === 'string') {
    const entry = TYPES[spec];
    if (!entry) throw new MongoCommandError('BadValue', `Unknown type name alias: ${spec}`);
    return entry[1];
  }
  if (isNumber(spec)) {
    const test = Number.isInteger(spec) ? BY_NUMBER.get(spec) : undefined;
    if (!test) throw new MongoCommandError('BadValue', `Invalid numerical type code: ${spec}`);
    return test;
  }
  throw new MongoCommandError('TypeMismatch', `type must be represented as a number or a string, got ${JSON.stringify(spec)}`);
}

/** Throws mongod's error for a `$type` argument it does not know. */
export function validateTypeSpec(spec: unknown): void {
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new MongoCommandError('FailedToParse', '$type must match at least one type');
    spec.forEach(typePredicate);
  } else {
    typePredicate(spec);
  }
}

/** The values a path ends on, arrays kept whole (a leaf operator also tests their elements). */
export function leaves(doc: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return [doc];
  const [head, ...rest] = parts as [string, ...string[]];
  if (Array.isArray(doc)) {
    const byIndex = /^\d+$/.test(head) ? leaves(doc[Number(head)], rest) : [];
    return [...byIndex, ...doc.filter(isPlainObject).flatMap((item) => leaves(item, parts))];
  }
  if (!isPlainObject(doc)) return [];
  return Object.hasOwn(doc, head) ? leaves(doc[head], rest) : [];
}

/** mingo's query operator shape: compiled once per filter, then called per document. */
export type LeafOperator = (selector: string, operand: unknown, options: unknown) => (doc: Document) => boolean;

/**
 * `onStored`: test the stored values (through the view's original, query/comparable.ts)
 * rather than the view, where an int32 and a double are both JS numbers. A path
 * that only the view spells (a DBRef's `$id`) falls back to the view.
 */
function leafOperator(build: (operand: unknown) => Predicate, elements: boolean, onStored = false): LeafOperator {
  return (selector, operand) => {
    const test = build(operand);
    const parts = selector.split('.');
    return (doc: Document): boolean => {
      const values = onStored ? leaves(storedOf(doc), parts) : [];
      return (values.length > 0 ? values : leaves(doc, parts)).some((value) => test(value) || (elements && Array.isArray(value) && value.some(test)));
    };
  };
}

/** Bit positions named by a mask: a list of positions, a number, or BinData. */
function maskPositions(operator: string, mask: unknown): number[] {
  if (Array.isArray(mask)) {
    for (const position of mask) {
      if (!Number.isInteger(position) || (position as number) < 0) {
        throw new MongoCommandError('BadValue', `bit positions must be non-negative integers, got ${JSON.stringify(position)} in ${operator}`);
      }
    }
    return mask as number[];
  }
  if (mask instanceof BinaryView) return [...mask.bytes].flatMap((byte, i) => [0, 1, 2, 3, 4, 5, 6, 7].filter((bit) => (byte >> bit) & 1).map((bit) => i * 8 + bit));
  if (isNumber(mask) && Number.isInteger(mask) && mask >= 0) {
    const bits = BigInt(mask);
    return Array.from({ length: 64 }, (_unused, i) => i).filter((i) => (bits >> BigInt(i)) & 1n);
  }
  throw new MongoCommandError('BadValue', `${operator} takes an Array, a non-negative integer or a BinData, got ${JSON.stringify(mask)}`);
}

/** Bit `i` of a value: numbers as 64-bit two's complement (sign-extended beyond), BinData little-endian by byte. */
function bitReader(value: unknown): ((i: number) => boolean) | undefined {
  if (value instanceof BinaryView) return (i) => (((value.bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;
  if (isNumber(value) && Number.isInteger(value)) {
    const bits = BigInt.asUintN(64, BigInt(value));
    return (i) => (i >= 64 ? value < 0 : ((bits >> BigInt(i)) & 1n) === 1n);
  }
  return undefined;
}

function bitwise(operator: string, wantSet: boolean, all: boolean) {
  return leafOperator((mask) => {
    const positions = maskPositions(operator, mask);
    return (value) => {
      const bit = bitReader(value);
      if (!bit) return false;
      return all ? positions.every((i) => bit(i) === wantSet) : positions.some((i) => bit(i) === wantSet);
    };
  }, true);
}

/** The name an operator is registered under in mingo's context (`$type` → `$bson_type`). */
function renamed(operator: string): string {
  return `$bson_${operator.slice(1)}`;
}

const BITWISE = { $bitsAllSet: [true, true], $bitsAllClear: [false, true], $bitsAnySet: [true, false], $bitsAnyClear: [false, false] } as const;

/** The renamed operators, for mingo's context. */
export const BSON_QUERY_OPERATORS: Record<string, LeafOperator> = {
  [renamed('$type')]: leafOperator((spec) => {
    const tests = (Array.isArray(spec) ? spec : [spec]).map(typePredicate);
    return (value) => tests.some((test) => test(value));
  }, true, true),
  ...Object.fromEntries(Object.entries(BITWISE).map(([name, [set, all]]) => [renamed(name), bitwise(name, set, all)])),
};

const RENAMED = new Set(['$type', ...Object.keys(BITWISE)]);

/** The filter with `$type` and the bitwise operators renamed to the implementations above, and the geo operators to query/geo-operators.ts's. */
export function withBsonOperators(filter: Document): Document {
  const out: Document = {};
  for (const [original, value] of Object.entries(filter)) {
    const key = original.split('.').map((part) => (DBREF_FIELDS.has(part) ? dbrefField(part) : part)).join('.');
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      out[key] = value.map((clause) => (isPlainObject(clause) ? withBsonOperators(clause) : clause));
    } else if (!key.startsWith('$') && isPlainObject(value) && Object.keys(value)[0]?.startsWith('$')) {
      out[key] = renameOperators(value);
    } else if (bsonTag(value) === 'DBRef') {
      // Its view is { $ref, $id, $db }, which mingo would read as operators.
      out[key] = { $eq: value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

function renameOperators(spec: Document): Document {
  const out: Document = {};
  for (const [operator, operand] of Object.entries(spec)) {
    const name = RENAMED.has(operator) ? renamed(operator) : Object.hasOwn(GEO_OPERATOR_NAMES, operator) ? (GEO_OPERATOR_NAMES[operator] as string) : operator;
    if ((operator === '$not' || operator === '$elemMatch') && isPlainObject(operand)) {
      const first = Object.keys(operand)[0];
      const operators = first?.startsWith('$') && !DBREF_FIELDS.has(first) && !['$and', '$or', '$nor', '$expr', '$where'].includes(first);
      out[name] = operators ? renameOperators(operand) : withBsonOperators(operand);
    } else {
      out[name] = operand;
    }
  }
  return out;
}
