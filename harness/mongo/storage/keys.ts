/**
 * Canonical keys: a string per BSON value such that two values get the same key
 * exactly when MongoDB considers them equal. Collections key documents by the
 * canonical key of `_id`, indexes key `_id` sets by the canonical key of the indexed
 * value(s). Numbers of every type share one spelling (1, 1.0 and Long(1) are one
 * `_id`), strings are JSON-quoted so "1" never meets 1, and embedded documents keep
 * field order because MongoDB's equality does.
 */
import { canonicalNumber } from './numeric';
import { bsonTag } from './values';

export function canonicalKey(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'bigint':
      return `#${canonicalNumber(value) ?? 'NaN'}`;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value instanceof Date) return `D${value.getTime()}`;
  if (value instanceof RegExp) return `R/${value.source}/${value.flags}`;
  const tag = bsonTag(value);
  switch (tag) {
    case undefined: {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalKey(v)}`).join(',')}}`;
    }
    case 'ObjectId':
      return `O${(value as { toHexString(): string }).toHexString()}`;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return `#${canonicalNumber(value) ?? 'NaN'}`;
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array };
      return `B${binary.sub_type}:${Buffer.from(binary.buffer).toString('hex')}`;
    }
    case 'Timestamp':
      return `T${String(value)}`;
    case 'BSONRegExp': {
      const regex = value as { pattern: string; options: string };
      return `R/${regex.pattern}/${regex.options}`;
    }
    case 'MinKey':
    case 'MaxKey':
      return tag;
    default:
      return `${tag}${JSON.stringify(value)}`;
  }
}
