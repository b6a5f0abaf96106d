import fs from 'node:fs';
import path from 'node:path';
import type { CatalogStep } from '../catalog';
import { specFiles, type KataRef } from './project';

/** A step's standing from recorded or live test results. */
export interface StepStatus {
  /** 1-based. */
  number: number;
  name: string;
  passed: number;
  total: number;
  /** Every test of the step ran and passed (a step with no known test is not done). */
  done: boolean;
}

/** The kata's steps in order; empty for a kata not yet split into steps. */
export function kataSteps(kata: KataRef): CatalogStep[] {
  return kata.kata.steps ?? [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Jest's `--testNamePattern` for one step. Jest matches it against each test's
 * full name (`describe` names and the test name joined by spaces), so the step
 * name followed by a space selects exactly the tests under that describe:
 * `"1. Accept"` does not select `"1. Accepted"` or `"11. Accept"`.
 */
export function stepPattern(step: CatalogStep): string {
  return `^${escapeRegExp(step.name)} `;
}

/** Index of the step a test belongs to (by its full name), or -1. */
export function stepIndexOf(testName: string, steps: CatalogStep[]): number {
  return steps.findIndex((step) => testName.startsWith(`${step.name} `));
}

/** Each step's passed / total from a list of test results. */
export function stepStatuses(steps: CatalogStep[], tests: Array<{ name: string; status: string }>): StepStatus[] {
  return steps.map((step, i) => {
    const mine = tests.filter((t) => t.name.startsWith(`${step.name} `));
    const passed = mine.filter((t) => t.status === 'passed').length;
    return { number: i + 1, name: step.name, passed, total: mine.length, done: mine.length > 0 && passed === mine.length };
  });
}

/** 0-based index of the first step not done; `steps.length` when every step is done. */
export function firstOpenStep(statuses: StepStatus[]): number {
  const open = statuses.findIndex((s) => !s.done);
  return open < 0 ? statuses.length : open;
}

/**
 * The kata's spec files that name the step (its name as a string literal), so
 * a step's run loads only those; every spec file when none does (a name built
 * at run time), since running too many files is slower but never wrong.
 */
export function stepSpecFiles(cwd: string, kata: KataRef, step: CatalogStep): string[] {
  const all = specFiles(cwd, kata);
  const quoted = ["'", '"', '`'].map((quote) => `${quote}${step.name}${quote}`);
  const naming = all.filter((file) => {
    const source = fs.readFileSync(path.join(cwd, file), 'utf8');
    return quoted.some((literal) => source.includes(literal));
  });
  return naming.length > 0 ? naming : all;
}
