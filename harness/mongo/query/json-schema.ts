/**
 * MongoDB's `$jsonSchema` (draft 4 subset plus `bsonType`), used by collection
 * validators and by the `$jsonSchema` query operator. mingo delegates the operator
 * to a validator we supply; this is it. Failures are reported in the shape of
 * mongod's `errInfo.details.schemaRulesNotSatisfied` so a code-121 error explains
 * itself.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { canonicalKey } from '../storage/keys';
import { toJsNumber } from '../storage/numeric';
import { bsonTypeName, isNumeric, isPlainObject } from '../storage/values';

const KEYWORDS = new Set([
  'bsonType', 'type', 'required', 'properties', 'additionalProperties', 'patternProperties', 'enum',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
  'items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'allOf', 'anyOf', 'oneOf', 'not', 'title', 'description', 'multipleOf', 'dependencies',
]);

/** Rejects keywords mongod rejects, when the validator is created rather than when a write fails. */
export function checkSchema(schema: unknown): void {
  if (!isPlainObject(schema)) throw new MongoCommandError('TypeMismatch', `$jsonSchema must be an object, got ${JSON.stringify(schema)}`);
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(keyword)) throw new MongoCommandError('FailedToParse', `Unknown $jsonSchema keyword: ${keyword}`);
    if (keyword === 'properties' || keyword === 'patternProperties') {
      for (const sub of Object.values(value as Document)) checkSchema(sub);
    } else if (['allOf', 'anyOf', 'oneOf'].includes(keyword)) {
      for (const sub of value as unknown[]) checkSchema(sub);
    } else if (keyword === 'not' || (keyword === 'items' && isPlainObject(value)) || (keyword === 'additionalProperties' && isPlainObject(value))) {
      checkSchema(value);
    }
  }
}

function jsonTypeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'number':
      return isNumeric(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

function bsonTypeMatches(type: string, value: unknown): boolean {
  if (type === 'number') return isNumeric(value);
  const actual = bsonTypeName(value);
  if (type === 'double' && actual === 'int') return false;
  return actual === type || (type === 'boolean' && actual === 'bool');
}

type Failure = Document;

function rule(operatorName: string, specifiedAs: unknown, extra: Document = {}): Failure {
  return { operatorName, specifiedAs: { [operatorName]: specifiedAs }, ...extra };
}

/** Validates `value` against `schema`; an empty list means it passes. */
export function schemaFailures(schema: Document, value: unknown): Failure[] {
  const failures: Failure[] = [];
  const types = (spec: unknown): string[] => (Array.isArray(spec) ? (spec as string[]) : [spec as string]);
  if (schema.bsonType !== undefined && !types(schema.bsonType).some((t) => bsonTypeMatches(t, value))) {
    failures.push(rule('bsonType', schema.bsonType, { reason: 'type did not match', consideredValue: value, consideredType: bsonTypeName(value) }));
  }
  if (schema.type !== undefined && !types(schema.type).some((t) => jsonTypeMatches(t, value))) {
    failures.push(rule('type', schema.type, { reason: 'type did not match', consideredValue: value, consideredType: bsonTypeName(value) }));
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option: unknown) => canonicalKey(option) === canonicalKey(value))) {
    failures.push(rule('enum', schema.enum, { reason: 'value was not found in enum', consideredValue: value }));
  }
  if (isNumeric(value)) {
    const n = toJsNumber(value);
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? n <= toJsNumber(schema.minimum) : n < toJsNumber(schema.minimum))) {
      failures.push(rule('minimum', schema.minimum, { reason: 'comparison failed', consideredValue: value }));
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? n >= toJsNumber(schema.maximum) : n > toJsNumber(schema.maximum))) {
      failures.push(rule('maximum', schema.maximum, { reason: 'comparison failed', consideredValue: value }));
    }
    if (schema.multipleOf !== undefined && n % toJsNumber(schema.multipleOf) !== 0) {
      failures.push(rule('multipleOf', schema.multipleOf, { reason: 'considered value was not a multiple', consideredValue: value }));
    }
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < toJsNumber(schema.minLength)) failures.push(rule('minLength', schema.minLength, { reason: 'specified string length was not satisfied', consideredValue: value }));
    if (schema.maxLength !== undefined && length > toJsNumber(schema.maxLength)) failures.push(rule('maxLength', schema.maxLength, { reason: 'specified string length was not satisfied', consideredValue: value }));
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      failures.push(rule('pattern', schema.pattern, { reason: 'regular expression did not match', consideredValue: value }));
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < toJsNumber(schema.minItems)) failures.push(rule('minItems', schema.minItems, { reason: 'array did not match specified length', consideredValue: value }));
    if (schema.maxItems !== undefined && value.length > toJsNumber(schema.maxItems)) failures.push(rule('maxItems', schema.maxItems, { reason: 'array did not match specified length', consideredValue: value }));
    if (schema.uniqueItems === true && new Set(value.map(canonicalKey)).size !== value.length) failures.push(rule('uniqueItems', true, { reason: 'found a duplicate item', consideredValue: value }));
    if (isPlainObject(schema.items)) {
      const itemsSchema = schema.items;
      const bad = value.map((item, i) => ({ itemIndex: i, details: schemaFailures(itemsSchema, item) })).filter((r) => r.details.length > 0);
      if (bad.length > 0) failures.push({ operatorName: 'items', reason: 'At least one item did not match the sub-schema', ...bad[0] });
    }
  }
  if (isPlainObject(value)) {
    if (Array.isArray(schema.required)) {
      const missing = (schema.required as string[]).filter((name) => value[name] === undefined);
      if (missing.length > 0) failures.push(rule('required', schema.required, { missingProperties: missing }));
    }
    const properties = isPlainObject(schema.properties) ? schema.properties : {};
    const notSatisfied: Document[] = [];
    for (const [name, sub] of Object.entries(properties)) {
      if (value[name] === undefined || !isPlainObject(sub)) continue;
      const details = schemaFailures(sub, value[name]);
      if (details.length > 0) notSatisfied.push({ propertyName: name, details });
    }
    if (notSatisfied.length > 0) failures.push({ operatorName: 'properties', propertiesNotSatisfied: notSatisfied });
    if (schema.additionalProperties === false || isPlainObject(schema.additionalProperties)) {
      const patterns = isPlainObject(schema.patternProperties) ? Object.keys(schema.patternProperties).map((p) => new RegExp(p, 'u')) : [];
      const extra = Object.keys(value).filter((name) => !(name in properties) && !patterns.some((p) => p.test(name)));
      if (schema.additionalProperties === false && extra.length > 0) {
        failures.push(rule('additionalProperties', false, { additionalProperties: extra }));
      } else if (isPlainObject(schema.additionalProperties)) {
        const sub = schema.additionalProperties;
        if (extra.some((name) => schemaFailures(sub, value[name]).length > 0)) failures.push(rule('additionalProperties', sub, {}));
      }
    }
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < toJsNumber(schema.minProperties)) failures.push(rule('minProperties', schema.minProperties, { numberOfProperties: count }));
    if (schema.maxProperties !== undefined && count > toJsNumber(schema.maxProperties)) failures.push(rule('maxProperties', schema.maxProperties, { numberOfProperties: count }));
  }
  const subs = (key: string): Document[] => (Array.isArray(schema[key]) ? (schema[key] as Document[]) : []);
  if (subs('allOf').some((s) => schemaFailures(s, value).length > 0)) failures.push(rule('allOf', schema.allOf, { reason: 'at least one subschema did not match' }));
  if (schema.anyOf !== undefined && !subs('anyOf').some((s) => schemaFailures(s, value).length === 0)) failures.push(rule('anyOf', schema.anyOf, { reason: 'no subschema matched' }));
  if (schema.oneOf !== undefined && subs('oneOf').filter((s) => schemaFailures(s, value).length === 0).length !== 1) failures.push(rule('oneOf', schema.oneOf, { reason: 'not exactly one subschema matched' }));
  if (isPlainObject(schema.not) && schemaFailures(schema.not, value).length === 0) failures.push(rule('not', schema.not, { reason: 'child expression matched' }));
  return failures;
}

/** The hook mingo calls for the `$jsonSchema` query operator. */
export function jsonSchemaPredicate(schema: Document): (value: unknown) => boolean {
  checkSchema(schema);
  return (value) => schemaFailures(schema, value).length === 0;
}
