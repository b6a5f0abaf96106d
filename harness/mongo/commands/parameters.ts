/** setParameter: the runtime parameters this engine honours (server-parameters.ts), answered as mongod answers. */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import type { CommandHandler } from './context';

/** Fields of a setParameter command that are not parameters. */
const COMMAND_FIELDS = new Set(['setParameter', '$db', 'lsid', '$clusterTime', '$readPreference', 'comment', 'txnNumber', 'autocommit', 'startTransaction']);

export const setParameter: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin') throw new MongoCommandError('Unauthorized', 'setParameter may only be run against the admin database.');
  const names = Object.keys(ctx.body).filter((field) => !COMMAND_FIELDS.has(field));
  if (names.length === 0) throw new MongoCommandError('InvalidOptions', 'no option found to set, use help:true to see options ');
  const reply: Document = {};
  for (const name of names) {
    if (name !== 'ttlMonitorSleepSecs') {
      throw new MongoCommandError('InvalidOptions', `attempted to set unrecognized parameter [${name}], use help:true to see options (the embedded engine knows only ttlMonitorSleepSecs)`);
    }
  }
  // Answered like mongod: `was` holds the previous value of the (last) parameter set.
  reply.was = ctx.engine.parameters.ttlMonitorSleepSecs;
  ctx.engine.parameters.ttlMonitorSleepSecs = ctx.body.ttlMonitorSleepSecs;
  reply.ok = 1;
  return reply;
};
