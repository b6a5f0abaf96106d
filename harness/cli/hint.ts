import fs from 'node:fs';
import path from 'node:path';
import { findKata, type VerbOptions } from './project';

export interface HintResult {
  kata: string;
  title: string;
  /** Every hint revealed so far (1-based numbers), the newest last. */
  shown: Array<{ number: number; text: string }>;
  total: number;
  /** True when no hint is left to reveal. */
  exhausted: boolean;
}

function hintsFile(cwd: string): string {
  return path.join(cwd, '.kata', 'hints.json');
}

function readRevealed(cwd: string): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(hintsFile(cwd), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

/**
 * `kata hint <kata>`: reveals one more hint per call (the last one nearly the
 * answer) and remembers how many were shown in `.kata/hints.json`.
 * `all: true` reveals every hint at once.
 *
 * @example
 *   hint({ cwd }, 'errors/async-errors').shown.at(-1)?.text
 */
export function hint(options: VerbOptions, kataName: string, flags: { all?: boolean } = {}): HintResult {
  const ref = findKata(options, kataName);
  // Until the hint view goes per step, a stepped kata's hints are read in step order.
  const hints = ref.kata.hints ?? (ref.kata.steps ?? []).flatMap((step) => step.hints);
  const revealed = readRevealed(options.cwd);
  const before = revealed[ref.id] ?? 0;
  const count = flags.all ? hints.length : Math.min(before + 1, hints.length);
  revealed[ref.id] = Math.max(before, count);
  fs.mkdirSync(path.dirname(hintsFile(options.cwd)), { recursive: true });
  fs.writeFileSync(hintsFile(options.cwd), JSON.stringify(revealed, null, 2) + '\n');
  return {
    kata: ref.id,
    title: ref.kata.title,
    shown: hints.slice(0, count).map((text, i) => ({ number: i + 1, text })),
    total: hints.length,
    exhausted: count >= hints.length,
  };
}
