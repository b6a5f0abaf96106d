import fs from 'node:fs';
import path from 'node:path';
import { readStrykerScore } from '../grader/stryker-score';
import Reporter from './progress-reporter.cjs';
import type { ProgressFile, RecordedTest } from './progress-reporter.cjs';
import { specFiles, type KataRef } from './project';
import { firstOpenStep, kataSteps, stepStatuses, type StepStatus } from './steps';

export type { ProgressFile, RecordedTest };

/** `.kata/progress.json` under the project (git-ignored, written by the Jest reporter). */
export function progressFile(cwd: string): string {
  return path.join(cwd, '.kata', 'progress.json');
}

export function readProgress(cwd: string): ProgressFile {
  return Reporter.readProgress(progressFile(cwd));
}

/** A kata's latest known results. */
export interface KataProgress {
  passed: number;
  total: number;
  /** False until any of its spec files has run. */
  ran: boolean;
  /** Every recorded run still describes the kata's files as they are now (no edit since). */
  current: boolean;
  /** Every spec file ran on the current code, all green, none failed to load. */
  done: boolean;
  /** First line of a spec file's load error, when one failed to load. */
  suiteError: string | null;
  /**
   * A testing kata's mutation score from its latest grading: mutants caught of all
   * (its grade spec's mutant tests, or the score StrykerJS recorded); null elsewhere.
   */
  mutants: { caught: number; total: number } | null;
  tests: RecordedTest[];
  /** Per step (empty for a kata without steps), from the recorded tests. */
  steps: StepStatus[];
  /** 0-based index of the step to work on; `steps.length` once every step is green. */
  step: number;
}

export function kataProgress(cwd: string, kata: KataRef, progress: ProgressFile = readProgress(cwd)): KataProgress {
  const recorded = progress.katas[kata.id]?.files ?? {};
  const expected = specFiles(cwd, kata);
  // Files renamed or deleted since they ran do not count.
  const files = expected.filter((file) => recorded[file] !== undefined).map((file) => recorded[file]!);
  const tests = files.flatMap((f) => f.tests);
  const passed = tests.filter((t) => t.status === 'passed').length;
  const suiteError = files.find((f) => f.suiteError)?.suiteError ?? null;
  const ran = files.length > 0;
  const hash = ran ? Reporter.kataContentHash(kata.dir) : null;
  const current = ran && files.every((f) => f.contentHash === hash);
  const steps = stepStatuses(kataSteps(kata), tests);
  const mutantTests = tests.filter((t) => t.mutant);
  return {
    passed,
    total: tests.length,
    ran,
    current,
    done: ran && current && files.length === expected.length && tests.length > 0 && passed === tests.length && !suiteError,
    suiteError,
    mutants:
      mutantTests.length > 0
        ? { caught: mutantTests.filter((t) => t.status === 'passed').length, total: mutantTests.length }
        : ran
          ? readStrykerScore(cwd, kata.id)
          : null,
    tests,
    steps,
    step: firstOpenStep(steps),
  };
}

/**
 * Marks every recorded test of a kata as not run (after a reset): the kata
 * shows 0 green of its known total until its specs run again.
 */
export function markNotRun(cwd: string, kataId: string): void {
  const file = progressFile(cwd);
  const progress = readProgress(cwd);
  const entry = progress.katas[kataId];
  if (!entry) return;
  for (const recorded of Object.values(entry.files)) {
    recorded.tests = recorded.tests.map((t) => ({ ...t, status: 'skipped' }));
    recorded.suiteError = null;
  }
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(progress, null, 2) + '\n');
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}
