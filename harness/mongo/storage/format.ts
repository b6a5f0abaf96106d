/**
 * Renders values the way mongod's error messages do (BSONObj::toString), so an
 * E11000 errmsg reads `dup key: { email: "a@b.c" }` exactly as against mongod.
 */
import { bsonTag, isPlainObject } from './values';

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof RegExp) return `/${value.source}/${value.flags}`;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) return formatKeyObject(value);
  const tag = bsonTag(value);
  switch (tag) {
    case 'ObjectId':
      return `ObjectId('${(value as { toHexString(): string }).toHexString()}')`;
    case 'Long':
      return String(value);
    case 'Decimal128':
      return `NumberDecimal("${String(value)}")`;
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array; toUUID?: () => { toString(): string } };
      if (binary.sub_type === 4 && binary.toUUID) return `UUID("${binary.toUUID().toString()}")`;
      return `BinData(${binary.sub_type}, ${Buffer.from(binary.buffer).toString('hex').toUpperCase()})`;
    }
    default:
      return String(value);
  }
}

/** `{ a: 1, b: "x" }`, or `{}` when empty. */
export function formatKeyObject(doc: Record<string, unknown>): string {
  const entries = Object.entries(doc);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')} }`;
}
