/**
 * What a stored value *is* in BSON terms. Documents live in memory as the objects
 * `bson` deserializes (numbers, strings, Date, RegExp, plus ObjectId, Long,
 * Decimal128, Binary, Timestamp ... instances). Classes are recognised by their
 * `_bsontype` tag rather than `instanceof`, so values built by another copy of `bson`
 * (the driver's, a test's) are understood too.
 */
import type { Document } from 'bson';

export function bsonTag(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value) || value instanceof Date || value instanceof RegExp) return false;
  return bsonTag(value) === undefined;
}

/** Long, Decimal128, Int32 and Double instances: numbers mingo cannot compare natively. */
export function isWrappedNumber(value: unknown): boolean {
  const tag = bsonTag(value);
  return tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double';
}

export function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || isWrappedNumber(value);
}

/** Reads a dotted path through embedded documents (not arrays); undefined when absent. */
export function getPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) return undefined;
      current = current[Number(part)];
    } else {
      // Own fields only: a field named `__proto__` or `constructor` is data, never the prototype.
      current = Object.hasOwn(current, part) ? (current as Document)[part] : undefined;
    }
  }
  return current;
}

/**
 * Every value a dotted path reaches, descending into arrays the way MongoDB's
 * multikey indexes do (`tags` of `['a','b']` yields 'a' and 'b').
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const parts = path.split('.');
  const out: unknown[] = [];
  const walk = (value: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(value)) {
        if (value.length === 0) out.push(undefined);
        else out.push(...value);
      } else {
        out.push(value);
      }
      return;
    }
    if (Array.isArray(value)) {
      const part = parts[i] as string;
      if (/^\d+$/.test(part) && value[Number(part)] !== undefined) walk(value[Number(part)], i + 1);
      else for (const item of value) if (isPlainObject(item)) walk(item, i);
      return;
    }
    if (!isPlainObject(value)) {
      out.push(undefined);
      return;
    }
    walk(value[parts[i] as string], i + 1);
  };
  walk(doc, 0);
  return out.length > 0 ? out : [undefined];
}

/** The `$type` alias mongod uses in messages ("string", "objectId", "long", ...). */
export function bsonTypeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const tag = bsonTag(value);
  switch (tag) {
    case undefined:
      return 'object';
    case 'ObjectId':
      return 'objectId';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    default:
      return tag.charAt(0).toLowerCase() + tag.slice(1);
  }
}
