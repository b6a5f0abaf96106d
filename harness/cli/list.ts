import { allKatas, loadCatalog, type VerbOptions } from './project';
import { kataProgress, readProgress } from './progress';

export interface ListedKata {
  id: string;
  title: string;
  passed: number;
  /** Tests known from the latest run; 0 when the kata never ran. */
  total: number;
  ran: boolean;
  /** The recorded run matches the kata's files as they are now (false: edited since, or never ran). */
  current: boolean;
  done: boolean;
  suiteError: string | null;
  /** How many steps the kata has (0 for a kata not split into steps). */
  steps: number;
  /** Steps green in the latest recorded runs. */
  stepsDone: number;
  /** 1-based step to work on, or null when the kata has no steps or every step is green. */
  step: number | null;
  /** Testing katas: mutants the learner's tests caught in the latest grading. */
  mutants: { caught: number; total: number } | null;
}

export interface ListedPhase {
  id: string;
  title: string;
  katas: ListedKata[];
}

export interface ListResult {
  phases: ListedPhase[];
  done: number;
  total: number;
  /** First kata not done, in learning order (what `kata watch` opens). */
  next: string | null;
}

/**
 * `kata list`: every phase and kata in catalog order with the latest recorded
 * results (from `.kata/progress.json`) and step progress; runs nothing. A kata
 * is done only when its recorded runs match its files as they are now.
 *
 * @example
 *   const { done, total, next } = list({ cwd: process.cwd() });
 */
export function list(options: VerbOptions): ListResult {
  const catalog = loadCatalog(options.cwd);
  const progress = readProgress(options.cwd);
  const refs = allKatas(options.cwd, catalog);
  const phases: ListedPhase[] = catalog.phases.map((phase) => ({
    id: phase.id,
    title: phase.title,
    katas: refs
      .filter((ref) => ref.phase === phase)
      .map((ref) => {
        const p = kataProgress(options.cwd, ref, progress);
        return {
          id: ref.id,
          title: ref.kata.title,
          passed: p.passed,
          total: p.total,
          ran: p.ran,
          current: p.current,
          done: p.done,
          suiteError: p.suiteError,
          mutants: p.mutants,
          steps: p.steps.length,
          stepsDone: p.steps.filter((step) => step.done).length,
          step: p.step < p.steps.length ? p.step + 1 : null,
        };
      }),
  }));
  const katas = phases.flatMap((p) => p.katas);
  return {
    phases,
    done: katas.filter((k) => k.done).length,
    total: katas.length,
    next: katas.find((k) => !k.done)?.id ?? null,
  };
}
