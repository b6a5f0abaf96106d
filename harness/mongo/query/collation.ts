/**
 * Collation (`{ locale, strength, caseLevel, caseFirst, numericOrdering, alternate }`)
 * as mongod accepts it, compared with `Intl.Collator` (ICU, like mongod). `simple`,
 * or no collation, is binary comparison and stays on the fast paths.
 */
import type { Document } from 'bson';
import type { CollationSpec } from 'mingo/types';
import { MongoCommandError } from '../errors';
import { isPlainObject } from '../storage/values';

export interface Collation {
  /** The collation in mongod's full form, as listIndexes and listCollections show it. */
  readonly spec: Document;
  /** Equal for collations that compare alike (for index choice and option checks). */
  readonly id: string;
  /** `locale` as a BCP 47 tag (`en-US`), what Intl and mingo's `$sort` take. */
  readonly mingoSpec: CollationSpec;
  compare(a: string, b: string): number;
  /**
   * A string every string equal to `s` under this collation also folds to, when the
   * strength ignores case and/or accents (Unicode case folding and decomposition).
   * ICU equalities beyond those (rare, e.g. some contractions) are not folded.
   */
  fold(s: string): string;
}

const FIELDS: Record<string, (value: unknown) => boolean> = {
  locale: (v) => typeof v === 'string',
  strength: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5,
  caseLevel: (v) => typeof v === 'boolean',
  caseFirst: (v) => v === 'upper' || v === 'lower' || v === 'off',
  numericOrdering: (v) => typeof v === 'boolean',
  alternate: (v) => v === 'non-ignorable' || v === 'shifted',
  maxVariable: (v) => v === 'punct' || v === 'space',
  normalization: (v) => typeof v === 'boolean',
  backwards: (v) => typeof v === 'boolean',
  version: (v) => typeof v === 'string',
};

const MARKS = /\p{M}+/gu;
const cache = new Map<string, Collation>();

function sensitivity(spec: Document): Intl.CollatorOptions['sensitivity'] {
  const strength = spec.strength as number;
  if (strength === 1) return spec.caseLevel ? 'case' : 'base';
  if (strength === 2) return spec.caseLevel ? 'variant' : 'accent';
  return 'variant';
}

/**
 * The collation a command or index asks for, or undefined for binary comparison
 * (`{ locale: 'simple' }` or none). Malformed ones answer BadValue (2) quoting them.
 */
export function parseCollation(raw: unknown): Collation | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new MongoCommandError('TypeMismatch', `collation must be an object, got ${JSON.stringify(raw)}`);
  if (raw.locale === undefined) throw new MongoCommandError('BadValue', `collation is missing the required field "locale": ${JSON.stringify(raw)}`);
  for (const [field, value] of Object.entries(raw)) {
    const valid = FIELDS[field];
    if (!valid) throw new MongoCommandError('BadValue', `unknown collation field "${field}" in ${JSON.stringify(raw)}`);
    if (!valid(value)) throw new MongoCommandError('BadValue', `collation field "${field}" has an invalid value ${JSON.stringify(value)}`);
  }
  if (raw.locale === 'simple') {
    if (Object.keys(raw).length > 1) throw new MongoCommandError('BadValue', `collation { locale: "simple" } takes no other field, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  const tag = (raw.locale as string).replace(/_/g, '-');
  let supported: string[] = [];
  try {
    supported = Intl.Collator.supportedLocalesOf(tag);
  } catch {
    // An ill-formed tag: answered below like an unknown one.
  }
  if (supported.length === 0 && tag !== 'root') throw new MongoCommandError('BadValue', `Field 'locale' is invalid in: ${JSON.stringify(raw)}`);
  const spec: Document = {
    locale: raw.locale,
    caseLevel: raw.caseLevel ?? false,
    caseFirst: raw.caseFirst ?? 'off',
    strength: raw.strength ?? 3,
    numericOrdering: raw.numericOrdering ?? false,
    alternate: raw.alternate ?? 'non-ignorable',
    maxVariable: raw.maxVariable ?? 'punct',
    normalization: raw.normalization ?? false,
    backwards: raw.backwards ?? false,
    version: '57.1',
  };
  const id = JSON.stringify(spec);
  const known = cache.get(id);
  if (known) return known;
  const collator = new Intl.Collator(tag === 'root' ? 'und' : tag, {
    sensitivity: sensitivity(spec),
    caseFirst: spec.caseFirst === 'off' ? 'false' : (spec.caseFirst as 'upper' | 'lower'),
    numeric: spec.numericOrdering === true,
    ignorePunctuation: spec.alternate === 'shifted',
  });
  const ignoresCase = (spec.strength as number) <= 2 && spec.caseLevel !== true;
  const ignoresAccents = (spec.strength as number) === 1;
  const collation: Collation = {
    spec,
    id,
    mingoSpec: { ...spec, locale: tag === 'root' ? 'und' : tag } as CollationSpec,
    compare: (a, b) => collator.compare(a, b),
    fold: (s) => {
      let out = ignoresAccents ? s.normalize('NFKD').replace(MARKS, '') : s.normalize('NFC');
      // Upper then lower case folds ß to ss and ﬁ to fi, as ICU's comparison does.
      if (ignoresCase) out = out.toUpperCase().toLowerCase();
      return out;
    },
  };
  cache.set(id, collation);
  return collation;
}
