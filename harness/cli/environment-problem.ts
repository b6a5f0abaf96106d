import { environmentSignatureIn } from '../jest/environment-signatures.cjs';
import type { SpecRun } from './run-specs';

/** A failure of the machine, not of the learner's code: what is missing and how to fix it. */
export interface EnvironmentProblem {
  /** Stable id (`KATA_REDIS_MISSING`, …). */
  code: string;
  summary: string;
  fix: string;
  /** The first line of the original error, for the curious. */
  detail?: string;
}

/** The environment problem a piece of Jest output describes, if any. */
export function environmentProblemIn(text: string): EnvironmentProblem | undefined {
  // The signatures are shared with the calm Jest reporter (harness/jest/environment-signatures.cjs).
  const signature = environmentSignatureIn(text);
  if (!signature) return undefined;
  const detail = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => signature.test.test(l) || /Error:/.test(l));
  return { code: signature.code, summary: signature.summary, fix: signature.fix, ...(detail ? { detail } : {}) };
}

/**
 * A run whose every failure is the same environment problem (a missing
 * service fails every spec that needs it) is that problem, once, not red specs.
 * A run with any other failure is about the code.
 */
export function environmentProblemOf(run: SpecRun): EnvironmentProblem | undefined {
  const failures = [...run.suiteErrors.map((e) => e.message), ...run.tests.filter((t) => t.status === 'failed').map((t) => t.failure ?? '')];
  if (failures.length === 0) return undefined;
  const problems = failures.map(environmentProblemIn);
  const first = problems[0];
  return first && problems.every((p) => p?.code === first.code) ? first : undefined;
}
