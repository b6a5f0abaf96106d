/**
 * One place that configures mingo, and that translates its exceptions into
 * MongoDB errors (mingo throws plain errors; the driver needs `code`/`codeName`).
 */
import type { Document } from 'bson';
import { Context, ProcessingMode } from 'mingo';
import type { Options } from 'mingo/types';
import { MongoCommandError } from '../errors';
import { BSON_QUERY_OPERATORS } from './bson-operators';
import type { Collation } from './collation';
import { COLLATED_QUERY_OPERATORS, registerCollation } from './collated-operators';
import { GEO_QUERY_OPERATORS } from './geo-operators';
import { jsonSchemaPredicate } from './json-schema';

// `$type` and the bitwise operators as mongod defines them (query/bson-operators.ts),
// the comparisons under a collation (query/collated-operators.ts), and $geoWithin /
// $geoIntersects (query/geo-operators.ts).
const CONTEXT = Context.init({ query: { ...BSON_QUERY_OPERATORS, ...COLLATED_QUERY_OPERATORS, ...GEO_QUERY_OPERATORS } });

export interface MingoExtras {
  collectionResolver?: (name: string) => Document[];
  cloneInput?: boolean;
  scriptEnabled?: boolean;
  /** Sorts (mingo's `$sort`) and the collated comparisons use it. */
  collation?: Collation | undefined;
}

export function mingoOptions(extra: MingoExtras = {}): Partial<Options> {
  return {
    ...(extra.collation ? { collation: registerCollation(extra.collation) } : {}),
    idKey: '_id',
    useStrictMode: true,
    // Only for specs whose scripts query/server-script.ts has bound to the vm.
    scriptEnabled: extra.scriptEnabled === true,
    processingMode: extra.cloneInput ? ProcessingMode.CLONE_INPUT : ProcessingMode.CLONE_OFF,
    jsonSchemaValidator: jsonSchemaPredicate,
    context: CONTEXT,
    ...(extra.collectionResolver ? { collectionResolver: extra.collectionResolver } : {}),
  };
}

/** Runs a mingo call, answering BadValue (code 2) with mingo's reason instead of crashing. */
export function withMingo<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof MongoCommandError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MongoCommandError('BadValue', `${what}: ${reason.replace(/^mingo:\s*/, '')}`);
  }
}
