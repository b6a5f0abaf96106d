/**
 * Text indexes as mongod stores and lists them (`key: { _fts: 'text', _ftsx: 1 }`,
 * `weights`, `default_language`, `language_override`, `textIndexVersion: 3`), and
 * the scorer a `$text` query runs over a collection's documents with one.
 * The index keeps no postings: `$text` reads every document (explain says COLLSCAN).
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { languageName, textLanguage } from '../query/text-language';
import { parseSearch, scoreTexts, stringsAt, type TextQuery, type WeightedText } from '../query/text-search';
import { isPlainObject } from './values';
import type { IndexSpec } from './index';

export function isTextIndex(spec: IndexSpec): boolean {
  return spec.key._fts === 'text';
}

/** Does a createIndexes key pattern ask for a text index (`{ title: 'text' }`, `{ '$**': 'text' }`)? */
export function requestsText(key: Document): boolean {
  return Object.values(key).includes('text') || key._fts === 'text';
}

/**
 * The stored form of a requested text index: the text fields become `_fts`/`_ftsx`
 * where the first of them stood, other fields keep their place (a compound text
 * index, listed as on mongod; its other fields only filter here, they narrow no
 * lookup). Weights must be positive numbers below 100000.
 */
export function textIndexSpec(raw: Document, name: string | undefined): IndexSpec {
  const key = raw.key as Document;
  const weights: Document = {};
  const stored: Document = {};
  for (const [field, kind] of Object.entries(key)) {
    if (field === '_fts' || field === '_ftsx' || kind === 'text') {
      stored._fts = 'text';
      stored._ftsx = 1;
      if (kind === 'text') weights[field] = 1;
    } else {
      stored[field] = kind;
    }
  }
  if (raw.weights !== undefined) {
    if (!isPlainObject(raw.weights)) throw new MongoCommandError('TypeMismatch', `text index option 'weights' must be an object, got ${JSON.stringify(raw.weights)}`);
    for (const [field, weight] of Object.entries(raw.weights)) {
      if (typeof weight !== 'number' || !(weight > 0 && weight < 100_000)) throw new MongoCommandError('BadValue', `text index weight must be in the exclusive interval (0,99999] but found: ${JSON.stringify(weight)} for "${field}"`);
      weights[field] = weight;
    }
  }
  const language = raw.default_language ?? 'english';
  if (languageName(language) === undefined) throw new MongoCommandError('BadValue', `default_language ${JSON.stringify(language)} is not a supported language for text indexes`);
  const override = raw.language_override ?? 'language';
  if (typeof override !== 'string') throw new MongoCommandError('TypeMismatch', `language_override must be a string, got ${JSON.stringify(override)}`);
  const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const defaultName = Object.entries(key).map(([field, kind]) => `${field}_${String(kind)}`).join('_');
  const spec: IndexSpec = { ...raw, v: 2, key: stored, name: name ?? defaultName, weights: sorted, default_language: language, language_override: override, textIndexVersion: 3 };
  return spec;
}

/** A document's language override must be one the index can stem, as mongod checks on every write. */
export function checkTextLanguage(spec: IndexSpec, doc: Document): void {
  const override = doc[spec.language_override as string];
  if (override !== undefined && languageName(override) === undefined) {
    throw new MongoCommandError('BadValue', `language override unsupported: ${JSON.stringify(override)}`);
  }
}

/** The scorer of one `$text` query over documents indexed by `spec`: a score, or undefined for no match. */
export function textScorer(spec: IndexSpec, query: TextQuery): (doc: Document) => number | undefined {
  const folding = { caseSensitive: query.caseSensitive, diacriticSensitive: query.diacriticSensitive };
  const queryLanguage = textLanguage(query.language ?? spec.default_language, '$text $language');
  const search = parseSearch(query, queryLanguage);
  const weights = Object.entries(spec.weights as Document) as Array<[string, number]>;
  return (doc) => {
    const own = doc[spec.language_override as string];
    // Documents are stemmed in their own language; the query's terms in the query's.
    const language = own === undefined ? textLanguage(spec.default_language, 'text index') : textLanguage(own, 'language override');
    const texts: WeightedText[] = [];
    for (const [field, weight] of weights) for (const text of stringsAt(doc, field)) texts.push({ text, weight });
    return scoreTexts(texts, search, language.name === queryLanguage.name ? queryLanguage : language, folding);
  };
}
