import fs from 'node:fs';
import path from 'node:path';
import { StepOutOfRangeError } from './errors';
import { kataProgress } from './progress';
import { findKata, type VerbOptions } from './project';
import { kataSteps } from './steps';

export interface HintResult {
  kata: string;
  title: string;
  /** The step the hints belong to, or null for a kata without steps. */
  step: { number: number; count: number; name: string } | null;
  /** Every hint revealed so far (1-based numbers), the newest last. */
  shown: Array<{ number: number; text: string }>;
  total: number;
  /** True when no hint is left to reveal. */
  exhausted: boolean;
}

function hintsFile(cwd: string): string {
  return path.join(cwd, '.kata', 'hints.json');
}

/** How many hints were revealed, per `kata` (no steps) or `kata#step`. */
function readRevealed(cwd: string): Record<string, number> {
  try {
    return JSON.parse(fs.readFileSync(hintsFile(cwd), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

function writeRevealed(cwd: string, revealed: Record<string, number>): void {
  fs.mkdirSync(path.dirname(hintsFile(cwd)), { recursive: true });
  fs.writeFileSync(hintsFile(cwd), JSON.stringify(revealed, null, 2) + '\n');
}

/** Forgets the hints revealed for a kata and its steps (after `reset`). */
export function forgetHints(cwd: string, kataId: string): void {
  const revealed = readRevealed(cwd);
  const kept = Object.fromEntries(Object.entries(revealed).filter(([key]) => key !== kataId && !key.startsWith(`${kataId}#`)));
  if (Object.keys(kept).length !== Object.keys(revealed).length) writeRevealed(cwd, kept);
}

/**
 * `kata hint <kata> [--step n]`: reveals one more hint of the step per call
 * (the last one nearly the answer) and remembers how many were shown in
 * `.kata/hints.json`. Without `--step`, the step to work on (the first not
 * green in the latest run); a kata without steps has kata-wide hints.
 * `all: true` reveals every hint of the step at once.
 *
 * @example
 *   hint({ cwd }, 'auth/jwt').shown.at(-1)?.text
 */
export function hint(options: VerbOptions, kataName: string, flags: { all?: boolean; step?: number } = {}): HintResult {
  const ref = findKata(options, kataName);
  const steps = kataSteps(ref);
  let hints = ref.kata.hints ?? [];
  let key = ref.id;
  let step: HintResult['step'] = null;
  if (steps.length > 0) {
    const number = flags.step ?? Math.min(kataProgress(options.cwd, ref).step, steps.length - 1) + 1;
    if (!Number.isInteger(number) || number < 1 || number > steps.length) throw new StepOutOfRangeError(ref.id, String(flags.step), steps.length);
    const chosen = steps[number - 1]!;
    hints = chosen.hints;
    key = `${ref.id}#${number}`;
    step = { number, count: steps.length, name: chosen.name };
  } else if (flags.step !== undefined) {
    throw new StepOutOfRangeError(ref.id, String(flags.step), 0);
  }
  const revealed = readRevealed(options.cwd);
  const before = revealed[key] ?? 0;
  const count = flags.all ? hints.length : Math.min(before + 1, hints.length);
  revealed[key] = Math.max(before, count);
  writeRevealed(options.cwd, revealed);
  return {
    kata: ref.id,
    title: ref.kata.title,
    step,
    shown: hints.slice(0, count).map((text, i) => ({ number: i + 1, text })),
    total: hints.length,
    exhausted: count >= hints.length,
  };
}
