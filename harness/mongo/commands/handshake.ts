/**
 * hello / isMaster and the small admin commands drivers, mongosh and Compass send
 * when they connect. We present a single-node replica set (like
 * mongodb-memory-server's MongoMemoryReplSet) so sessions and transactions work
 * with a plain `mongodb://127.0.0.1:PORT/` URI. `topologyVersion` is left out on
 * purpose: without it the driver polls (one hello per heartbeat) instead of
 * streaming awaitable hellos, which would need a server-side wait per connection.
 */
import { type Document, Long, ObjectId, Timestamp } from 'bson';
import type { CommandContext, CommandHandler } from './context';

/** MongoDB 7.0's wire version; mongodb 7.x drivers accept 9..29. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

function hostAndPort(ctx: CommandContext): string {
  return `${ctx.server.host}:${ctx.server.port}`;
}

function helloReply(ctx: CommandContext, legacy: boolean): Document {
  const me = hostAndPort(ctx);
  const now = new Date();
  const opTime = { ts: Timestamp.fromBits(0, Math.floor(now.getTime() / 1000)), t: Long.fromNumber(1) };
  const reply: Document = {};
  if (ctx.body.helloOk === true) reply.helloOk = true;
  reply[legacy ? 'ismaster' : 'isWritablePrimary'] = true;
  Object.assign(reply, {
    hosts: [me],
    setName: ctx.server.setName,
    setVersion: 1,
    secondary: false,
    primary: me,
    me,
    electionId: ELECTION_ID,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });
  return reply;
}

export const hello: CommandHandler = (ctx) => helloReply(ctx, false);
export const isMaster: CommandHandler = (ctx) => helloReply(ctx, true);

export const ping: CommandHandler = () => ({ ok: 1 });

export const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  javascriptEngine: 'none',
  modules: [],
  openssl: { running: 'disabled' },
  ok: 1,
});

export const getParameter: CommandHandler = (ctx) => {
  const reply: Document = {};
  if (ctx.body.featureCompatibilityVersion !== undefined || ctx.body.getParameter === '*') {
    reply.featureCompatibilityVersion = { version: '7.0' };
  }
  if (ctx.body.ttlMonitorSleepSecs !== undefined || ctx.body.getParameter === '*') reply.ttlMonitorSleepSecs = ctx.engine.parameters.ttlMonitorSleepSecs;
  reply.ok = 1;
  return reply;
};

export const hostInfo: CommandHandler = () => ({
  system: { currentTime: new Date(), hostname: '127.0.0.1', cpuAddrSize: 64, numCores: 1 },
  os: { type: process.platform, name: process.platform },
  extra: {},
  ok: 1,
});

export const connectionStatus: CommandHandler = () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 });
export const whatsmyuri: CommandHandler = (ctx) => ({ you: `127.0.0.1:${ctx.connectionId}`, ok: 1 });
export const getCmdLineOpts: CommandHandler = () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 });
export const getLog: CommandHandler = () => ({ totalLinesWritten: 0, log: [], ok: 1 });

export const serverStatus: CommandHandler = (ctx) => ({
  host: hostAndPort(ctx),
  version: SERVER_VERSION,
  process: 'embedded-mongo',
  uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
  localTime: new Date(),
  ok: 1,
});

export const replSetGetStatus: CommandHandler = (ctx) => ({
  set: ctx.server.setName,
  date: new Date(),
  myState: 1,
  members: [{ _id: 0, name: hostAndPort(ctx), health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
  ok: 1,
});
