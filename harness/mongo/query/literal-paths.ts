/**
 * Update paths mingo refuses but mongod (5.0+) stores as data: a segment starting
 * with `$` (`{ $set: { $myKey: 1 } }`, `'prefs.$each'`) and a `__proto__` segment
 * (`{ $rename: { a: '__proto__.polluted' } }`). `$set`, `$setOnInsert`'s merged
 * `$set`, `$unset` and `$rename` on such paths are applied here, on own properties
 * only, so a field named `__proto__` is a field like any other and no prototype is
 * ever reached. Positional segments are resolved before this runs.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';

/** True for a path mingo would refuse. */
export function isLiteralPath(path: string): boolean {
  return path.split('.').some((part) => part.startsWith('$') || part === '__proto__' || part === 'constructor' || part === 'prototype');
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function define(target: Document | unknown[], key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function ownChild(container: unknown, part: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(part) ? container[Number(part)] : undefined;
  return isPlainObject(container) && Object.hasOwn(container, part) ? container[part] : undefined;
}

function setOwn(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Document | unknown[] = doc;
  for (const part of parts.slice(0, -1)) {
    let next = ownChild(current, part);
    if (next === undefined || next === null) {
      if (Array.isArray(current) && !/^\d+$/.test(part)) throw new MongoCommandError('PathNotViable', `Cannot create field '${part}' in element {${quote(current)}}`);
      next = {};
      define(current, part, next);
    } else if (!isPlainObject(next) && !Array.isArray(next)) {
      throw new MongoCommandError('PathNotViable', `Cannot create field in element {${part}: ${quote(next)}}`);
    }
    current = next as Document | unknown[];
  }
  define(current, parts[parts.length - 1] as string, value);
}

/** Removes the field at `path`; returns what was there. */
function unsetOwn(doc: Document, path: string): unknown {
  const parts = path.split('.');
  let current: unknown = doc;
  for (const part of parts.slice(0, -1)) current = ownChild(current, part);
  const last = parts[parts.length - 1] as string;
  const value = ownChild(current, last);
  if (value === undefined) return undefined;
  if (Array.isArray(current)) current[Number(last)] = null;
  else delete (current as Document)[last];
  return value;
}

/**
 * Applies the entries of `modifier` that mingo would refuse to `doc` (in place) and
 * returns the modifier without them. Other operators on such paths are left in
 * place, and mingo refuses them as before.
 */
export function applyLiteralPaths(doc: Document, modifier: Document, copy: (value: unknown) => unknown): Document {
  const next: Document = { ...modifier };
  for (const operator of ['$set', '$unset', '$rename'] as const) {
    const spec = modifier[operator] as Document | undefined;
    if (!spec) continue;
    const rest: Document = {};
    for (const [path, operand] of Object.entries(spec)) {
      const literal = isLiteralPath(path) || (operator === '$rename' && typeof operand === 'string' && isLiteralPath(operand));
      if (!literal) {
        rest[path] = operand;
      } else if (operator === '$set') {
        setOwn(doc, path, copy(operand));
      } else if (operator === '$unset') {
        unsetOwn(doc, path);
      } else {
        const value = unsetOwn(doc, path);
        if (value !== undefined) setOwn(doc, operand as string, value);
      }
    }
    if (Object.keys(rest).length > 0) next[operator] = rest;
    else delete next[operator];
  }
  return next;
}
