/**
 * Maps a command document to its handler and every outcome to a reply document:
 * results get `ok: 1`, MongoDB errors their `{ ok: 0, errmsg, code, codeName }`,
 * and anything unexpected an InternalError naming the command, never a crash.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import type { CursorRegistry } from '../storage/cursors';
import type { Engine } from '../storage/engine';
import { withCommandDeadline } from '../query/server-script';
import type { SessionRegistry } from '../transactions';
import { aggregate, count, distinct } from './aggregate';
import { collMod, create, dbStats, drop, dropDatabase, listCollections, listDatabases } from './collections';
import type { CommandContext, CommandHandler, ServerInfo } from './context';
import { deleteCommand } from './delete';
import { explain } from './explain';
import { find, getMore, killCursors } from './find';
import { findAndModify } from './find-and-modify';
import * as handshake from './handshake';
import { createIndexes, dropIndexes, listIndexes } from './indexes';
import { insert } from './insert';
import { setParameter } from './parameters';
import { abortTransaction, commitTransaction, endSessions, startSession } from './sessions';
import { update } from './update';

const HANDLERS: Record<string, CommandHandler> = {
  hello: handshake.hello,
  isMaster: handshake.isMaster,
  ismaster: handshake.isMaster,
  ping: handshake.ping,
  buildInfo: handshake.buildInfo,
  buildinfo: handshake.buildInfo,
  getParameter: handshake.getParameter,
  setParameter,
  hostInfo: handshake.hostInfo,
  connectionStatus: handshake.connectionStatus,
  whatsmyuri: handshake.whatsmyuri,
  getCmdLineOpts: handshake.getCmdLineOpts,
  getLog: handshake.getLog,
  serverStatus: handshake.serverStatus,
  replSetGetStatus: handshake.replSetGetStatus,
  endSessions,
  startSession,
  commitTransaction,
  abortTransaction,
  insert,
  find,
  getMore,
  killCursors,
  update,
  delete: deleteCommand,
  findAndModify,
  findandmodify: findAndModify,
  aggregate,
  count,
  distinct,
  explain,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  dbStats,
};

export interface RouterDeps {
  engine: Engine;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  server: ServerInfo;
}

export function commandName(body: Document): string {
  return Object.keys(body)[0] ?? '';
}

export function runCommand(deps: RouterDeps, body: Document, connectionId: number): Document {
  const name = commandName(body);
  try {
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new MongoCommandError('CommandNotFound', `no such command: '${name}'`);
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    const session = deps.sessions.enter(body);
    const ctx: CommandContext = { ...deps, body, db, session, connectionId };
    // Commands run synchronously, one at a time: server-side scripts read this deadline.
    const reply = withCommandDeadline(body.maxTimeMS, () => handler(ctx));
    if (reply.ok === undefined) reply.ok = 1;
    return reply;
  } catch (error) {
    if (error instanceof MongoCommandError) return error.toReply();
    const reason = error instanceof Error ? error.message : String(error);
    return new MongoCommandError('InternalError', `embedded engine failed on '${name}': ${reason}`).toReply();
  }
}
