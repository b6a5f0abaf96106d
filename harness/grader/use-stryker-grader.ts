import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { kataCodeDir, projectRoot, readConfig } from '../config';
import { gradeFailure } from './use-grader';
import { gradeWithStryker, type StrykerGrade, type StrykerMutant } from './stryker-grade';
import { recordStrykerScore } from './stryker-score';

/** StrykerJS makes about a hundred mutants here; on a loaded machine that is minutes. */
const gradingTimeout = 600_000;

export interface StrykerGrader {
  /** Fails unless Stryker's initial run passed: at least one test, all passing on the real code, each asserting. */
  expectGreenInitialRun(): void;
  /** Fails unless Stryker's mutation score is at least `percent`. */
  expectScoreAtLeast(percent: number): void;
  /**
   * Claims these top-level declarations of the mutated files (`validateLine`,
   * `PricingError`) and returns a test body that fails while a mutant in them
   * survives (or no test reaches it), listing each one: file:line:column, the
   * mutator, the code and its replacement, the tests that ran it.
   */
  killsEveryMutantIn(declarations: string[]): () => void;
}

/**
 * The setup verb of a testing kata graded by StrykerJS's own mutants rather
 * than hand-written ones: in `beforeAll`, Stryker mutates `mutate` (files
 * relative to the project) and runs the learner's tests (`tests/`; with
 * KATA_TARGET=solutions the reference tests) against every mutant, with the
 * fixed options of stryker-options.cjs. Every declaration that holds a mutant
 * must be claimed by one killsEveryMutantIn() (the file's afterAll fails otherwise).
 *
 * @example
 *   const stryker = useStrykerGrader(__dirname, { mutate: ['katas/testing/unit-tests/src/pricing.ts'] });
 *   describe('1. Tests that pass', () => it('pass on the real code', () => stryker.expectGreenInitialRun()));
 *   describe('2. Refusals', () => it('kills every mutant there', stryker.killsEveryMutantIn(['validateLine'])));
 */
export function useStrykerGrader(kataDir: string, { mutate }: { mutate: string[] }): StrykerGrader {
  const kataId = path.relative(path.join(projectRoot, 'katas'), kataDir).split(path.sep).join('/');
  const solutions = readConfig().target === 'solutions';
  // The learner's tests or the reference tests, or in verify's wrong-solution run a patched copy of them.
  const testsDir = path.join(kataCodeDir(kataId), 'tests');
  const claimed = new Set<string>();
  let grade: StrykerGrade | undefined;

  beforeAll(async () => {
    grade = await gradeWithStryker({ kataDir, testsDir, mutate });
    if (!solutions && process.env.KATA_PROGRESS !== 'off') recordStrykerScore(projectRoot, kataId, grade);
  }, gradingTimeout);

  afterAll(() => {
    if (!grade || grade.initialRunProblem) return;
    const unclaimed = [...new Set(grade.mutants.map((m) => m.declaration))].filter((name) => !claimed.has(name));
    if (unclaimed.length > 0) {
      throw new Error(`Mutants in declarations no killsEveryMutantIn() claims in ${kataId}'s grade spec: ${unclaimed.join(', ')}.`);
    }
  });

  function graded(): StrykerGrade {
    if (!grade) throw new Error('The grading did not run (see the error of beforeAll above).');
    return grade;
  }

  /** Grades after the initial run; a red initial run fails every later step with the same pointer. */
  function mutated(): StrykerGrade {
    const g = graded();
    if (g.initialRunProblem) throw gradeFailure('Make your tests pass on the real code first (step 1): Stryker mutates nothing until they do.');
    return g;
  }

  return {
    expectGreenInitialRun() {
      const problem = graded().initialRunProblem;
      if (problem === null) return;
      if (/No tests were executed|No tests were found/.test(problem)) {
        throw gradeFailure('No test ran yet: write tests (with assertions) in place of the TODOs.');
      }
      const why = problem.includes('expect.hasAssertions()') ? '\n\nA test that makes no assertion fails here: assert with expect().' : '';
      throw gradeFailure(`Stryker's initial run failed: your tests must pass against the real code, which is correct.${why}\n\n${problem}`);
    },

    expectScoreAtLeast(percent) {
      const g = mutated();
      if (g.score.percent >= percent) return;
      const survivors = g.mutants.filter(isAlive);
      throw gradeFailure(
        `${scoreLine(g)}, below ${percent}%. ${survivors.length} mutants survive:\n\n${describeSome(survivors, kataId)}`,
      );
    },

    killsEveryMutantIn(declarations) {
      for (const name of declarations) {
        if (claimed.has(name)) throw new Error(`"${name}" is claimed twice in the grade spec.`);
        claimed.add(name);
      }
      return () => {
        const g = mutated();
        const mine = g.mutants.filter((m) => declarations.includes(m.declaration));
        if (mine.length === 0) throw new Error(`Stryker made no mutant in ${declarations.join(', ')}: is the name right?`);
        const survivors = mine.filter(isAlive);
        if (survivors.length === 0) return;
        throw gradeFailure(
          `Your tests let ${survivors.length} of the ${mine.length} mutants in ${declarations.join(', ')} through: each test passed with the code changed.\n\n` +
            `${describeSome(survivors, kataId)}\n\n${scoreLine(g)}.`,
        );
      };
    },
  };
}

function isAlive(mutant: StrykerMutant): boolean {
  return mutant.status === 'Survived' || mutant.status === 'NoCoverage';
}

function scoreLine(g: StrykerGrade): string {
  return `Mutation score: ${g.score.percent.toFixed(2)}% (${g.score.detected} of ${g.score.valid} mutants killed)`;
}

/** The first survivors in the file's order; a long list is where Stryker's HTML report serves better. */
function describeSome(survivors: StrykerMutant[], kataId: string, most = 12): string {
  const shown = survivors.slice(0, most).map(describeMutant).join('\n\n');
  if (survivors.length <= most) return shown;
  return `${shown}\n\n  … and ${survivors.length - most} more: \`npx stryker run katas/${kataId}/stryker.config.mjs\` lists them all, and writes its HTML report.`;
}

/** Where and what, as Stryker's clear-text report says it, with the tests that ran the code. */
function describeMutant(m: StrykerMutant): string {
  const ranBy =
    m.coveredBy.length === 0
      ? 'no test runs this code'
      : `ran by ${m.coveredBy
          .slice(0, 2)
          .map((name) => `"${name}"`)
          .join(', ')}${m.coveredBy.length > 2 ? ` and ${m.coveredBy.length - 2} more` : ''}`;
  return `  ${m.file}:${m.line}:${m.column}  ${m.mutator} (${m.status})\n      ${m.original}\n    → ${m.replacement}\n    ${ranBy}`;
}
