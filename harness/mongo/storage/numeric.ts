/**
 * MongoDB treats int32, int64 (Long), double and Decimal128 as one numeric family:
 * they compare by value and `$inc`/`$mul` promote along int < long < double < decimal.
 * JavaScript gives us only `number`, so Long arithmetic goes through BigInt and
 * Decimal128 arithmetic through an exact (coefficient, exponent) BigInt pair.
 */
import { Decimal128, Double, Long } from 'bson';
import { bsonTag } from './values';

/** An exact decimal: value = coefficient × 10^exponent. */
interface Exact {
  coefficient: bigint;
  exponent: number;
}

type Special = 'NaN' | 'Infinity' | '-Infinity';

function parseDecimal(text: string): Exact | Special {
  const trimmed = text.trim();
  if (/^[+-]?nan$/i.test(trimmed)) return 'NaN';
  if (/^\+?inf(inity)?$/i.test(trimmed)) return 'Infinity';
  if (/^-inf(inity)?$/i.test(trimmed)) return '-Infinity';
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(trimmed);
  if (!match) return 'NaN';
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const digits = `${whole}${fraction}` || '0';
  let coefficient = BigInt(digits);
  if (sign === '-') coefficient = -coefficient;
  return { coefficient, exponent: Number(exp) - fraction.length };
}

function formatExact({ coefficient, exponent }: Exact): string {
  const negative = coefficient < 0n;
  let digits = (negative ? -coefficient : coefficient).toString();
  let text: string;
  if (exponent >= 0) {
    text = digits + '0'.repeat(exponent);
  } else {
    const point = digits.length + exponent;
    if (point <= 0) digits = '0'.repeat(1 - point) + digits;
    const at = digits.length + exponent;
    text = `${digits.slice(0, at)}.${digits.slice(at)}`;
  }
  return negative ? `-${text}` : text;
}

/** The exact decimal text of any numeric value, or undefined for non-numbers. */
export function numericText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  const tag = bsonTag(value);
  if (tag === 'Long' || tag === 'Decimal128') return String(value);
  if (tag === 'Int32' || tag === 'Double') return numericText((value as { value: number }).value);
  return undefined;
}

/**
 * A canonical spelling of a numeric value: equal numbers of any BSON type map to the
 * same string (1, 1.0, Long(1), Decimal128("1.00") all give "1e0").
 */
export function canonicalNumber(value: unknown): string | undefined {
  const text = numericText(value);
  if (text === undefined) return undefined;
  const exact = parseDecimal(text);
  if (typeof exact === 'string') return exact;
  let { coefficient, exponent } = exact;
  if (coefficient === 0n) return '0e0';
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent += 1;
  }
  return `${coefficient}e${exponent}`;
}

/** A JS number for comparisons (Decimal128 and huge Longs lose precision, nothing else). */
export function toJsNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  const text = numericText(value);
  return text === undefined ? Number.NaN : Number(text);
}

type Kind = 'int' | 'long' | 'double' | 'decimal';
const RANK: Record<Kind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

function kindOf(value: unknown): Kind {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  const tag = bsonTag(value);
  if (tag === 'Long') return 'long';
  if (tag === 'Decimal128') return 'decimal';
  if (tag === 'Int32') return 'int';
  return 'double';
}

function combine(a: Exact | Special, b: Exact | Special, op: 'add' | 'mul'): Exact | Special {
  if (typeof a === 'string' || typeof b === 'string') return 'NaN';
  if (op === 'mul') return { coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent };
  const exponent = Math.min(a.exponent, b.exponent);
  const scale = (x: Exact): bigint => x.coefficient * 10n ** BigInt(x.exponent - exponent);
  return { coefficient: scale(a) + scale(b), exponent };
}

/**
 * `$inc` (add) or `$mul` (mul) with mongod's type promotion: the result takes the
 * wider of the two types, so Long + 1 stays a Long and Decimal128 + 1 a Decimal128.
 */
export function arithmetic(current: unknown, operand: unknown, op: 'add' | 'mul'): unknown {
  const kind = RANK[kindOf(current)] >= RANK[kindOf(operand)] ? kindOf(current) : kindOf(operand);
  if (kind === 'decimal') {
    const result = combine(parseDecimal(numericText(current) ?? 'NaN'), parseDecimal(numericText(operand) ?? 'NaN'), op);
    return Decimal128.fromString(typeof result === 'string' ? result : formatExact(result));
  }
  if (kind === 'long') {
    const a = BigInt(numericText(current) ?? '0');
    const b = BigInt(numericText(operand) ?? '0');
    return Long.fromBigInt(op === 'add' ? a + b : a * b);
  }
  const a = toJsNumber(current);
  const b = toJsNumber(operand);
  const result = op === 'add' ? a + b : a * b;
  // int32 overflow widens to a Long, as in mongod.
  if (kind === 'int' && Math.abs(result) > 0x7fffffff) return Long.fromNumber(result);
  // A double stays a double even when its value is integral (wire/codec.ts keeps those as Double).
  if (kind === 'double' && Number.isInteger(result)) return new Double(result);
  return result;
}
