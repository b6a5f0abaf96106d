/**
 * The collections `create` makes special, with the options as mongod stores them
 * (listCollections shows them as they are here):
 *
 * - capped `{ capped: true, size, max }`: `size` rounded up to a multiple of 256 as
 *   mongod does, a cap of at least 4096 bytes; the oldest documents (insertion order)
 *   are removed once the data exceeds `size` bytes or `max` documents.
 * - time series `{ timeseries: { timeField, metaField, granularity, bucketMaxSpanSeconds }, expireAfterSeconds }`:
 *   every measurement needs a date in `timeField`; expiry is by bucket, as on mongod.
 * - clustered `{ clusteredIndex: { v, key: { _id: 1 }, name, unique: true }, expireAfterSeconds }`:
 *   listed as the collection's index instead of `_id_`; expiry by the date in `_id`.
 *
 * Writes to capped and time-series collections inside a transaction are refused, as on mongod.
 */
import { BSON, type Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from './values';

/** mongod's smallest cap: a smaller `size` still holds 4096 bytes. */
const MIN_CAPPED_BYTES = 4096;

/** Bucket span and rounding per granularity (mongod's bucketMaxSpanSeconds and bucketRoundingSeconds). */
const GRANULARITY: Record<string, { maxSpan: number; rounding: number }> = {
  seconds: { maxSpan: 3600, rounding: 60 },
  minutes: { maxSpan: 86_400, rounding: 3600 },
  hours: { maxSpan: 2_592_000, rounding: 86_400 },
};

/** Bytes and documents held by a capped collection, kept up to date on every write. */
export class CappedSpace {
  private bytes = 0;
  private readonly sizes = new WeakMap<Document, number>();
  readonly maxBytes: number;
  readonly maxDocs: number | undefined;

  constructor(options: Document) {
    this.maxBytes = Math.max(Number(options.size), MIN_CAPPED_BYTES);
    const max = Number(options.max);
    // mongod treats a missing, zero or negative `max` as "no document limit".
    this.maxDocs = Number.isFinite(max) && max > 0 ? max : undefined;
  }

  added(doc: Document): void {
    const size = BSON.calculateObjectSize(doc);
    this.sizes.set(doc, size);
    this.bytes += size;
  }

  removed(doc: Document): void {
    this.bytes -= this.sizes.get(doc) ?? BSON.calculateObjectSize(doc);
  }

  full(count: number): boolean {
    return this.bytes > this.maxBytes || (this.maxDocs !== undefined && count > this.maxDocs);
  }
}

export function isCapped(options: Document): boolean {
  return options.capped === true;
}

export function isTimeseries(options: Document): boolean {
  return isPlainObject(options.timeseries);
}

/** The clustered index as listIndexes shows it, if the collection is clustered. */
export function clusteredIndexSpec(options: Document): Document | undefined {
  const spec = options.clusteredIndex;
  return isPlainObject(spec) ? { ...spec, clustered: true } : undefined;
}

/** The secondary index mongod (6.3+) builds on a time series with a metaField. */
export function timeseriesDefaultIndex(options: Document): Document | undefined {
  const { timeField, metaField } = (options.timeseries ?? {}) as Document;
  if (typeof metaField !== 'string') return undefined;
  return { v: 2, key: { [metaField]: 1, [timeField as string]: 1 }, name: `${metaField}_1_${String(timeField)}_1` };
}

/** Refuses a write mongod refuses: in a transaction on capped or time-series data, or a measurement with no date. */
export function checkSpecialWrite(options: Document, ns: string, inTransaction: boolean, doc?: Document): void {
  if (inTransaction && isCapped(options)) {
    throw new MongoCommandError('OperationNotSupportedInTransaction', `Collection '${ns}' is a capped collection. Writes in transactions are not allowed on capped collections.`);
  }
  if (!isTimeseries(options)) return;
  if (inTransaction) throw new MongoCommandError('OperationNotSupportedInTransaction', `Cannot write to time-series collection '${ns}' in a multi-document transaction.`);
  const timeField = (options.timeseries as Document).timeField as string;
  if (doc && !(doc[timeField] instanceof Date)) {
    throw new MongoCommandError('BadValue', `'${timeField}' must be present and contain a valid BSON UTC datetime value`);
  }
}

/**
 * When a document's data expires, or undefined when it never does. A time series
 * deletes whole buckets: a bucket opened at (its first time rounded down) is removed
 * once its whole span is older than `expireAfterSeconds`, so a measurement expires
 * at the earliest `rounded time + bucketMaxSpanSeconds + expireAfterSeconds`. A
 * clustered collection expires by the date in `_id`.
 */
export function collectionExpiry(options: Document): ((doc: Document) => number | undefined) | undefined {
  const seconds = options.expireAfterSeconds;
  if (typeof seconds !== 'number') return undefined;
  if (isTimeseries(options)) {
    const series = options.timeseries as Document;
    const maxSpan = Number(series.bucketMaxSpanSeconds);
    const rounding = Number(series.bucketRoundingSeconds ?? GRANULARITY[String(series.granularity)]?.rounding ?? maxSpan);
    const field = series.timeField as string;
    return (doc) => {
      const time = doc[field];
      if (!(time instanceof Date)) return undefined;
      const opened = Math.floor(time.getTime() / (rounding * 1000)) * rounding * 1000;
      return opened + (maxSpan + seconds) * 1000;
    };
  }
  if (isPlainObject(options.clusteredIndex)) return (doc) => (doc._id instanceof Date ? doc._id.getTime() + seconds * 1000 : undefined);
  return undefined;
}

// ---- create's options, checked and stored as mongod does ----------------

function positiveNumber(body: Document, field: string): number {
  const value = Number(body[field]);
  if (typeof body[field] === 'boolean' || !Number.isFinite(value)) {
    throw new MongoCommandError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a number, got ${JSON.stringify(body[field])}`);
  }
  return value;
}

function parseCapped(body: Document): Document {
  if (body.size === undefined) throw new MongoCommandError('InvalidOptions', "the 'size' field is required when 'capped' is true");
  const size = positiveNumber(body, 'size');
  if (size <= 0) throw new MongoCommandError('BadValue', "the 'size' field must be a positive number");
  const options: Document = { capped: true, size: Math.ceil(size / 256) * 256 };
  if (body.max !== undefined) options.max = positiveNumber(body, 'max');
  return options;
}

function parseTimeseries(raw: unknown): Document {
  if (!isPlainObject(raw)) throw new MongoCommandError('TypeMismatch', `BSON field 'timeseries' is the wrong type, expected an object, got ${JSON.stringify(raw)}`);
  const { timeField, metaField, granularity, bucketMaxSpanSeconds, bucketRoundingSeconds, ...unknown } = raw;
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) throw new MongoCommandError('Location40415', `BSON field 'timeseries.${extra}' is an unknown field.`);
  if (timeField === undefined) throw new MongoCommandError('Location40414', "BSON field 'timeseries.timeField' is missing but a required field");
  for (const [field, value] of [['timeField', timeField], ['metaField', metaField]] as const) {
    if (value !== undefined && typeof value !== 'string') throw new MongoCommandError('TypeMismatch', `BSON field 'timeseries.${field}' is the wrong type, expected type 'string'`);
  }
  if (metaField === timeField) throw new MongoCommandError('InvalidOptions', "The 'metaField' cannot be the same as the 'timeField'");
  if (metaField === '_id') throw new MongoCommandError('InvalidOptions', "The 'metaField' cannot be \"_id\"");
  for (const name of [timeField, metaField]) {
    if (typeof name === 'string' && (name.includes('.') || name.startsWith('$'))) throw new MongoCommandError('BadValue', `Invalid field name for time-series: '${name}'`);
  }
  const options: Document = { timeField };
  if (metaField !== undefined) options.metaField = metaField;
  if (bucketMaxSpanSeconds !== undefined || bucketRoundingSeconds !== undefined) {
    // Custom bucketing: both set, equal, and no granularity (mongod 6.3+).
    if (granularity !== undefined || bucketMaxSpanSeconds !== bucketRoundingSeconds || !(Number(bucketMaxSpanSeconds) > 0)) {
      throw new MongoCommandError('InvalidOptions', 'Time-series bucketMaxSpanSeconds and bucketRoundingSeconds must both be set to the same positive value, and granularity left unset');
    }
    options.bucketRoundingSeconds = Number(bucketRoundingSeconds);
    options.bucketMaxSpanSeconds = Number(bucketMaxSpanSeconds);
    return options;
  }
  const chosen = granularity ?? 'seconds';
  const spans = typeof chosen === 'string' ? GRANULARITY[chosen] : undefined;
  if (!spans) throw new MongoCommandError('BadValue', `Enumeration value '${String(chosen)}' for field 'timeseries.granularity' is not a valid value.`);
  options.granularity = chosen;
  options.bucketMaxSpanSeconds = spans.maxSpan;
  return options;
}

function parseClusteredIndex(raw: unknown): Document {
  if (!isPlainObject(raw)) throw new MongoCommandError('TypeMismatch', `BSON field 'clusteredIndex' is the wrong type, expected an object, got ${JSON.stringify(raw)}`);
  if (raw.key === undefined) throw new MongoCommandError('Location40414', "BSON field 'clusteredIndex.key' is missing but a required field");
  if (raw.unique === undefined) throw new MongoCommandError('Location40414', "BSON field 'clusteredIndex.unique' is missing but a required field");
  if (!isPlainObject(raw.key) || Object.keys(raw.key).join() !== '_id' || Number(raw.key._id) !== 1) {
    throw new MongoCommandError('InvalidIndexSpecificationOption', "The clusteredIndex option is only supported for key: {_id: 1}");
  }
  if (raw.unique !== true) throw new MongoCommandError('InvalidIndexSpecificationOption', 'The clusteredIndex option requires unique: true');
  return { v: 2, key: { _id: 1 }, name: typeof raw.name === 'string' ? raw.name : '_id_', unique: true };
}

/** The special options of a `create` command, checked and in the shape listCollections shows. */
export function specialCreateOptions(body: Document): Document {
  const capped = body.capped !== undefined && body.capped !== false && body.capped !== 0;
  const timeseries = body.timeseries !== undefined && body.timeseries !== null;
  const clustered = body.clusteredIndex !== undefined && body.clusteredIndex !== null;
  if (capped && (timeseries || clustered)) {
    throw new MongoCommandError('InvalidOptions', `A ${timeseries ? 'time-series' : 'clustered'} collection cannot be capped`);
  }
  if (timeseries && clustered) throw new MongoCommandError('InvalidOptions', 'A time-series collection cannot have a clusteredIndex option');
  const options: Document = capped ? parseCapped(body) : {};
  if (timeseries) options.timeseries = parseTimeseries(body.timeseries);
  if (clustered) options.clusteredIndex = parseClusteredIndex(body.clusteredIndex);
  if (body.expireAfterSeconds !== undefined && body.expireAfterSeconds !== null) {
    if (!timeseries && !clustered) {
      throw new MongoCommandError('InvalidOptions', "'expireAfterSeconds' requires clustering to be enabled");
    }
    const seconds = positiveNumber(body, 'expireAfterSeconds');
    if (seconds < 0) throw new MongoCommandError('InvalidOptions', "TTL index 'expireAfterSeconds' option must be within an acceptable range, try a lower number");
    options.expireAfterSeconds = Math.trunc(seconds);
  }
  return options;
}
