/**
 * `__proto__` as a field name in a query. mongod treats it as any other name;
 * mingo refuses a selector holding it (its guard against prototype pollution). A
 * filter that names it is matched with every `__proto__` (in the filter's paths and
 * values and in the document's view) read under an alias no stored name can have
 * (BSON names are C strings, so none contains NUL). Nothing is ever assigned to a
 * prototype: the copies are built with own properties only.
 */
import type { Document } from 'bson';

const ALIAS = '__proto__\u0000';

function isLiteral(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

/** Does any key of `filter` (at any depth, as a whole name or a dotted part) say `__proto__`? */
export function mentionsProto(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsProto);
  if (!isLiteral(value)) return false;
  return Object.entries(value).some(([key, child]) => key.split('.').includes('__proto__') || mentionsProto(child));
}

/** A copy of `value` with every `__proto__` name (or dotted part) renamed to the alias; other objects kept as they are. */
export function aliasProto<T>(value: T): T {
  if (Array.isArray(value)) return value.map(aliasProto) as T;
  if (!isLiteral(value)) return value;
  const out: Document = {};
  for (const [key, child] of Object.entries(value)) {
    const name = key.includes('__proto__') ? key.split('.').map((part) => (part === '__proto__' ? ALIAS : part)).join('.') : key;
    Object.defineProperty(out, name, { value: aliasProto(child), enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}
