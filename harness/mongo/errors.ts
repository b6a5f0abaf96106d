/**
 * MongoDB's error vocabulary. A command that fails throws a `MongoCommandError`;
 * the router turns it into the `{ ok: 0, errmsg, code, codeName }` reply that the
 * `mongodb` driver raises as a `MongoServerError`, so learners see the same fields
 * (`code`, `codeName`, `keyPattern`, ...) as against a real `mongod`.
 */

/** The codes we answer with, named as in mongod's error_codes.yml. */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  Unauthorized: 13,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  MaxTimeMSExpired: 50,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  JSInterpreterFailure: 139,
  PathNotViable: 28,
  BSONObjectTooLarge: 10334,
  DocumentValidationFailure: 121,
  WriteConflict: 112,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  Location40324: 40324,
  // Geo: no index for $near (291), bad geo keys for a 2dsphere index (16755) or a 2d one (13026, 13027), $geoNear not first (40602).
  NoQueryExecutionPlans: 291,
  Location16755: 16755,
  Location13026: 13026,
  Location13027: 13027,
  Location40602: 40602,
  OperationNotSupportedInTransaction: 263,
  InvalidIndexSpecificationOption: 197,
  Location40414: 40414,
  Location40415: 40415,
  Location51246: 51246,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** Extra reply fields some errors carry (DuplicateKey's keyPattern/keyValue, errInfo). */
export type ErrorExtras = Record<string, unknown>;

/**
 * An error that becomes a MongoDB error reply. `extras` are copied into the reply
 * verbatim, which is how `keyPattern`/`keyValue` reach `MongoServerError`.
 */
export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extras: ErrorExtras;
  readonly labels: string[];

  constructor(codeName: ErrorCodeName, errmsg: string, extras: ErrorExtras = {}, labels: string[] = []) {
    super(errmsg);
    this.name = 'MongoCommandError';
    this.code = ErrorCodes[codeName];
    this.codeName = codeName;
    this.extras = extras;
    this.labels = labels;
  }

  /** The command-level reply, field order as mongod sends it. */
  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extras,
    };
    if (this.labels.length > 0) reply.errorLabels = this.labels;
    return reply;
  }

  /** A `writeErrors[]` entry: mongod writes no codeName there, only index/code/extras/errmsg. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, ...this.extras, errmsg: this.message };
  }
}

/** Shorthand for the most common case: bad input, quoting the offending value. */
export function badValue(errmsg: string): MongoCommandError {
  return new MongoCommandError('BadValue', errmsg);
}

/** The lifecycle states of an embedded engine (see index.ts). */
export type EngineState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Thrown when the engine is asked to do something its current state forbids,
 * naming what was expected and what it found (as mongodb-memory-server does).
 */
export class EngineStateError extends Error {
  readonly code = 'EMBEDDED_MONGO_STATE';
  readonly status = 500;

  constructor(
    readonly expected: EngineState[],
    readonly actual: EngineState,
  ) {
    super(
      `Embedded MongoDB is "${actual}" but this needs it to be ${expected.map((s) => `"${s}"`).join(' or ')}.` +
        ' Start it with `await startEmbeddedMongo()` and stop it once with `await mongo.stop()`.',
    );
    this.name = 'EngineStateError';
  }
}
