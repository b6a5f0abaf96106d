import path from 'node:path';
import { afterAll, beforeAll, it } from '@jest/globals';
import { kataCodeDir, projectRoot, readConfig } from '../config';
import { graderCatchersFile } from './catchers-file';
import { fullName, gradeKata, gradingLimits, type GradeOptions, type KataGrade } from './grade';
import { readMutants, type Mutant } from './mutants';
import { logSlowBrowserCalls } from './slow-calls-log';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mutantTitle } = require('./mutant-title.cjs') as { mutantTitle: (name: string, behaviour: string) => string };

export interface Grader {
  /** Fails unless every test file loads, at least one test runs, and every test passes on the real app. */
  expectGreenOnApp(): void;
  /** Fails unless a passing test sits under the describe() with this title (at any depth). */
  expectTestsUnder(describeTitle: string): void;
  /**
   * Declares one test per named mutant in the current describe(): each fails when
   * the learner's tests all pass against that mutant, with the behaviour it broke.
   */
  itCatchesMutants(names: string[]): void;
}

/**
 * The setup verb of a testing kata's grade spec. Runs the learner's test files
 * (`katas/testing/<kata>/tests/`; with KATA_TARGET=solutions the reference tests
 * in `solutions/testing/<kata>/tests/`) against the real `src/` and each mutant
 * in `mutants/`, once, in `beforeAll`; the spec's tests then read the grade.
 * Every mutant on disk must be declared by exactly one itCatchesMutants().
 *
 * @example
 *   const grader = useGrader(__dirname);
 *   describe('1. Tests that pass', () => {
 *     it('pass on the real app', () => grader.expectGreenOnApp());
 *     it('cover coupons', () => grader.expectTestsUnder('coupons'));
 *   });
 *   describe('2. Coupons', () => grader.itCatchesMutants(['discount-applied-twice']));
 */
export function useGrader(kataDir: string, options: Pick<GradeOptions, 'browsers' | 'redis' | 'sharedPackages'> = {}): Grader {
  const relative = path.relative(path.join(projectRoot, 'katas'), kataDir);
  const learnerTests = path.join(kataDir, 'tests');
  const { target } = readConfig();
  // The reference tests, or in verify's wrong-solution run a patched copy of them (kataCodeDir() finds it).
  const referenceDir = kataCodeDir(relative);
  const testsDir = target === 'solutions' ? path.join(referenceDir, 'tests') : learnerTests;
  const mutants = new Map(readMutants(kataDir).map((mutant) => [mutant.name, mutant]));
  const declared = new Set<string>();
  let grade: KataGrade | undefined;

  // The limit counts the real app and every mutant: at most as many suites as the grading runs.
  beforeAll(async () => {
    const kataId = relative.split(path.sep).join('/');
    // Beside the tests graded: a wrong solution's record stays in its copy, never in the committed one.
    const catchersFile = target === 'solutions' ? path.join(referenceDir, 'caught-by.json') : graderCatchersFile(projectRoot, kataId, target);
    // The reference tests are written independent of each other: their recorded catchers are not re-checked alone on the app.
    const checkCatchersAlone = target !== 'solutions';
    // A learner's first grading tries the reference tests' catchers, by test name, where the learner's tests have them.
    // (And so does a wrong solution's copy of the reference tests in verify, which has no record of its own: the names it kept find their catchers.)
    const hintsFile = graderCatchersFile(projectRoot, kataId, 'solutions');
    grade = await gradeKata({ kataDir, testsDir, virtualTestsDir: learnerTests, ...options, catchersFile, checkCatchersAlone, hintsFile });
    logSlowBrowserCalls(`${kataId} (${target})`, grade.slowBrowserCalls);
  }, gradingLimits(mutants.size + 1, options.browsers ?? []).totalMs);

  afterAll(() => {
    const undeclared = [...mutants.keys()].filter((name) => !declared.has(name));
    if (undeclared.length > 0) {
      throw new Error(`Mutants with no itCatchesMutants() in ${path.relative(projectRoot, kataDir)}'s grade spec: ${undeclared.join(', ')}.`);
    }
  });

  function graded(): KataGrade {
    if (!grade) throw new Error('The grading did not run (see the error of beforeAll above).');
    return grade;
  }

  function scoreLine(g: KataGrade): string {
    return `Mutation score: ${g.score.killed}/${g.score.total} mutants caught.`;
  }

  return {
    expectGreenOnApp() {
      const g = graded();
      const problems = [
        ...g.app.loadErrors.map((error) => `${error.file} did not run:\n${indent(error.message)}`),
        ...g.app.tests.filter((test) => test.status === 'failed').map((test) => `✕ ${fullName(test)}\n${indent(explain(test.failure))}`),
      ];
      if (problems.length === 0 && g.appGreen) return;
      const headline =
        problems.length === 0
          ? 'No test ran yet: write tests (with assertions) in place of the TODOs.'
          : 'Your tests must pass against the real app, which is correct: a test that fails there tests the wrong thing. ' +
            '(The app runs with a harmless marker in each function, a new one each grading: a test of how its code is written, rather than of what it does, fails.)';
      throw gradeFailure(`${headline}${slowBrowsersNote(g.slowBrowserCalls)}\n\n${problems.join('\n\n')}`);
    },

    expectTestsUnder(describeTitle) {
      const passing = graded().app.tests.filter((test) => test.status === 'passed' && test.ancestors.includes(describeTitle));
      if (passing.length === 0) {
        throw gradeFailure(`No passing test under describe('${describeTitle}'): the README asks for at least one there.`);
      }
    },

    itCatchesMutants(names) {
      for (const name of names) {
        const mutant = mutants.get(name);
        if (!mutant) throw new Error(`No mutant "${name}" in ${path.relative(projectRoot, kataDir)}/mutants/.`);
        if (declared.has(name)) throw new Error(`Mutant "${name}" is declared twice in the grade spec.`);
        declared.add(name);
        it(mutantTitle(mutant.name, mutant.behaviour), () => expectCaught(graded(), mutant));
      }
    },
  };

  function expectCaught(g: KataGrade, mutant: Mutant): void {
    const result = g.mutants.find((m) => m.mutant.name === mutant.name)!;
    if (result.killed) return;
    if (!g.appGreen) {
      throw gradeFailure(`Make your tests pass on the real app first (step 1): a mutant only counts as caught by tests that pass on the correct code.\n${scoreLine(g)}`);
    }
    throw gradeFailure(`Your tests don't notice ${mutant.behaviour}\nEvery test passed against this wrong version of the app.\n${scoreLine(g)}`);
  }
}

/**
 * A verdict on the learner's tests: the message is the whole story, so the
 * stack (the grader's own lines, which Jest would show as a code frame) is left out.
 */
export function gradeFailure(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

/** How many of a grading's slow browser calls its verdict lists (the slowest). */
const slowCallsShown = 5;

/**
 * Where a test that ran out of time lost it, when a browser was slow to answer: the
 * verdict shows it before the failing tests, and short, so that a log showing a
 * message's first lines shows it. Empty when no call was slow.
 */
export function slowBrowsersNote(calls: readonly string[]): string {
  if (calls.length === 0) return '';
  const shown = calls.slice(0, slowCallsShown);
  if (calls.length > shown.length) shown.push(`and ${calls.length - shown.length} more`);
  return `\n\nThe browsers were slow to answer during this grading (on a machine this busy, a test can run out of time):\n${indent(shown.join('\n'))}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function explain(failure: string | null): string {
  if (failure && failure.includes('expect.hasAssertions()')) return 'this test makes no assertion (assert with expect(); supertest\'s .expect() does not count)';
  return failure ?? '';
}
