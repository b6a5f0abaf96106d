/**
 * What every command handler receives, and the helpers they share for naming
 * collections and reading typed options from a command document.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { type Collation, parseCollation } from '../query/collation';
import type { Collection } from '../storage/collection';
import type { CursorRegistry } from '../storage/cursors';
import type { Engine } from '../storage/engine';
import type { CommandSession, SessionRegistry } from '../transactions';

export interface ServerInfo {
  host: string;
  port: number;
  setName: string;
  startedAt: Date;
}

export interface CommandContext {
  body: Document;
  db: string;
  engine: Engine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  session: CommandSession;
  server: ServerInfo;
  connectionId: number;
}

export type CommandHandler = (ctx: CommandContext) => Document;

/** The collection a command names in its first field (`{ find: "users" }`). */
export function collectionName(ctx: CommandContext): string {
  const name = ctx.body[Object.keys(ctx.body)[0] as string];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError('InvalidNamespace', `collection name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return name;
}

export function existing(ctx: CommandContext, name = collectionName(ctx)): Collection | undefined {
  return ctx.engine.collection(ctx.db, name);
}

export function optionalNumber(body: Document, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (Number.isNaN(n)) throw new MongoCommandError('TypeMismatch', `Field '${field}' must be numeric, got ${JSON.stringify(value)}`);
  return n;
}

export function optionalDocument(body: Document, field: string): Document | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MongoCommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected an object, got ${JSON.stringify(value)}`);
  }
  return value as Document;
}

/**
 * The collation a command (or one statement of it) runs with: its own `collation`,
 * or else the collection's default; `{ locale: 'simple' }` overrides the default.
 * Undefined means binary comparison.
 */
export function collationFor(body: Document, collection: Collection | undefined): Collation | undefined {
  if (body.collation !== undefined) return parseCollation(body.collation);
  return collection?.options.collation ? parseCollation(collection.options.collation) : undefined;
}

export function cursorReply(batch: { id: unknown; ns: string; docs: Document[] }, field: 'firstBatch' | 'nextBatch'): Document {
  return { cursor: { [field]: batch.docs, id: batch.id, ns: batch.ns }, ok: 1 };
}
