/**
 * The languages of text indexes: mongod's fifteen Snowball languages (by name or
 * ISO code) and `none`. Each one's stemmer and stop words come from the Orama
 * packages (Snowball stemmers and stop-word lists), loaded the first time a
 * language is used so the engine starts without them.
 */
import { MongoCommandError } from '../errors';

export interface TextLanguage {
  readonly name: string;
  stem(word: string): string;
  isStopWord(lowerCaseWord: string): boolean;
}

const CODES: Record<string, string> = {
  da: 'danish', nl: 'dutch', en: 'english', fi: 'finnish', fr: 'french', de: 'german', hu: 'hungarian', it: 'italian',
  nb: 'norwegian', pt: 'portuguese', ro: 'romanian', ru: 'russian', es: 'spanish', sv: 'swedish', tr: 'turkish',
};
const NAMES = new Set(Object.values(CODES));
const NONE: TextLanguage = { name: 'none', stem: (word) => word, isStopWord: () => false };
const loaded = new Map<string, TextLanguage>([['none', NONE]]);

/** mongod's name for `language` (`en` → `english`), or undefined when it has no stemmer for it. */
export function languageName(language: unknown): string | undefined {
  if (typeof language !== 'string') return undefined;
  const lower = language.toLowerCase();
  if (lower === 'none' || NAMES.has(lower)) return lower;
  return CODES[lower];
}

/** Throws BadValue (17262 on mongod) for a language it cannot stem, quoting it. */
export function textLanguage(language: unknown, where: string): TextLanguage {
  const name = languageName(language);
  if (name === undefined) throw new MongoCommandError('BadValue', `${where}: language ${JSON.stringify(language)} is not supported for text search`);
  let found = loaded.get(name);
  if (!found) {
    // Loaded on first use: fifteen stemmers would cost every engine start, most never used.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stemmer } = require(`@orama/stemmers/${name}`) as { stemmer: (word: string) => string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stopwords } = require(`@orama/stopwords/${name}`) as { stopwords: string[] };
    const stops = new Set(stopwords);
    found = { name, stem: stemmer, isStopWord: (word) => stops.has(word) };
    loaded.set(name, found);
  }
  return found;
}
