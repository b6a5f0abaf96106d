/**
 * `$text`: parsing `$search` (terms, `"phrases"`, `-negations`) and scoring a
 * document's strings the way mongod's text index does (version 3): split on
 * anything that is not a letter, digit or apostrophe, fold case and diacritics
 * unless asked not to, drop the language's stop words, stem what is left.
 *
 * A document's score adds, over the query's terms and the indexed fields holding
 * them, `weight × f × (0.5 + 0.5 × count / tokens)`: `count` is how often the
 * term's stem occurs in the field, `tokens` how many words the field has, and `f`
 * adds 1, ½, ¼ … for each repeat, so repeating a word helps less and less.
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';
import type { TextLanguage } from './text-language';

export interface TextQuery {
  search: string;
  language: string | undefined;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

/** Validates a `$text` operand, answering mongod's BadValue (2) for a malformed one. */
export function parseTextOperand(operand: unknown): TextQuery {
  if (!isPlainObject(operand)) throw new MongoCommandError('BadValue', `$text expects an object, got ${JSON.stringify(operand)}`);
  for (const key of Object.keys(operand)) {
    if (!['$search', '$language', '$caseSensitive', '$diacriticSensitive'].includes(key)) throw new MongoCommandError('BadValue', `extra fields in $text: ${key}`);
  }
  if (typeof operand.$search !== 'string') throw new MongoCommandError('BadValue', `$search needs a String, got ${JSON.stringify(operand.$search)}`);
  for (const flag of ['$caseSensitive', '$diacriticSensitive'] as const) {
    if (operand[flag] !== undefined && typeof operand[flag] !== 'boolean') throw new MongoCommandError('BadValue', `${flag} requires a boolean value, got ${JSON.stringify(operand[flag])}`);
  }
  if (operand.$language !== undefined && typeof operand.$language !== 'string') throw new MongoCommandError('BadValue', `$language needs a String, got ${JSON.stringify(operand.$language)}`);
  return {
    search: operand.$search,
    language: operand.$language as string | undefined,
    caseSensitive: operand.$caseSensitive === true,
    diacriticSensitive: operand.$diacriticSensitive === true,
  };
}

interface Folding {
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

const WORD = /[\p{L}\p{N}']+/gu;
const MARKS = /\p{M}+/gu;

function fold(text: string, folding: Folding): string {
  const cased = folding.caseSensitive ? text : text.toLowerCase();
  return folding.diacriticSensitive ? cased : cased.normalize('NFD').replace(MARKS, '').normalize('NFC');
}

/** The stems of `text`'s words, stop words left out, in order. */
export function stems(text: string, language: TextLanguage, folding: Folding): string[] {
  const out: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    const bare = word.replace(/^'+|'+$/g, '');
    if (bare === '' || language.isStopWord(fold(bare, { caseSensitive: false, diacriticSensitive: false }))) continue;
    out.push(language.stem(fold(bare, folding)));
  }
  return out;
}

/** What a `$search` string asks for, its terms already stemmed in the query's language. */
export interface ParsedSearch {
  terms: Set<string>;
  negatedTerms: Set<string>;
  phrases: string[];
  negatedPhrases: string[];
}

export function parseSearch(query: TextQuery, language: TextLanguage): ParsedSearch {
  const parsed: ParsedSearch = { terms: new Set(), negatedTerms: new Set(), phrases: [], negatedPhrases: [] };
  const folding = { caseSensitive: query.caseSensitive, diacriticSensitive: query.diacriticSensitive };
  // A quoted phrase, or one whitespace-separated word; a leading '-' negates either.
  for (const [, negation, phrase, word] of query.search.matchAll(/(-?)(?:"([^"]*)"?|([^\s"]+))/g)) {
    const negated = negation === '-';
    if (phrase !== undefined) {
      if (phrase.trim() === '') continue;
      (negated ? parsed.negatedPhrases : parsed.phrases).push(fold(phrase, folding));
      // A phrase's words also count towards the score, as on mongod.
      if (!negated) for (const stem of stems(phrase, language, folding)) parsed.terms.add(stem);
    } else if (word !== undefined) {
      for (const stem of stems(word, language, folding)) (negated ? parsed.negatedTerms : parsed.terms).add(stem);
    }
  }
  return parsed;
}

/** One indexed string with its weight, ready to score. */
export interface WeightedText {
  text: string;
  weight: number;
}

/**
 * The document's score for `search`, or undefined when it does not match: no
 * positive term, a phrase missing, or a negated term or phrase present.
 */
export function scoreTexts(texts: WeightedText[], search: ParsedSearch, language: TextLanguage, folding: Folding): number | undefined {
  if (search.terms.size === 0) return undefined;
  const folded = search.phrases.length + search.negatedPhrases.length > 0 ? texts.map(({ text }) => fold(text, folding)) : [];
  if (search.phrases.some((phrase) => !folded.some((text) => text.includes(phrase)))) return undefined;
  if (search.negatedPhrases.some((phrase) => folded.some((text) => text.includes(phrase)))) return undefined;
  let score = 0;
  let found = false;
  for (const { text, weight } of texts) {
    const words = stems(text, language, folding);
    const seen = new Map<string, { count: number; freq: number }>();
    for (const stem of words) {
      if (search.negatedTerms.has(stem)) return undefined;
      if (!search.terms.has(stem)) continue;
      const entry = seen.get(stem) ?? { count: 0, freq: 0 };
      entry.freq += 1 / 2 ** entry.count;
      entry.count += 1;
      seen.set(stem, entry);
    }
    for (const { count, freq } of seen.values()) {
      found = true;
      score += weight * freq * (0.5 + (0.5 * count) / words.length);
    }
  }
  return found ? score : undefined;
}

/** The string values under `path` (through arrays and, for `$**`, every field of the document). */
export function stringsAt(doc: Document, path: string): string[] {
  const out: string[] = [];
  const collect = (value: unknown, parts: string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item, parts);
    } else if (parts.length === 0) {
      if (typeof value === 'string') out.push(value);
      else if (path === '$**' && isPlainObject(value)) for (const child of Object.values(value)) collect(child, parts);
    } else if (isPlainObject(value) && Object.hasOwn(value, parts[0] as string)) {
      collect(value[parts[0] as string], parts.slice(1));
    }
  };
  if (path === '$**') for (const value of Object.values(doc)) collect(value, []);
  else collect(doc, path.split('.'));
  return out;
}
