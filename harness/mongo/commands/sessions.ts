/** endSessions, commitTransaction, abortTransaction, startSession. */
import { type Document, UUID } from 'bson';
import { canonicalKey } from '../storage/keys';
import type { CommandHandler } from './context';

export const endSessions: CommandHandler = (ctx) => {
  const ids = Array.isArray(ctx.body.endSessions) ? (ctx.body.endSessions as Document[]) : [];
  const keys = ids.filter((lsid) => lsid?.id !== undefined).map((lsid) => canonicalKey(lsid.id));
  ctx.sessions.end(keys);
  for (const key of keys) ctx.cursors.killSession(key);
  return { ok: 1 };
};

export const commitTransaction: CommandHandler = (ctx) => {
  ctx.sessions.commit(ctx.body);
  return { ok: 1 };
};

export const abortTransaction: CommandHandler = (ctx) => {
  ctx.sessions.abort(ctx.body);
  return { ok: 1 };
};

export const startSession: CommandHandler = () => ({ id: { id: new UUID() }, timeoutMinutes: 30, ok: 1 });
