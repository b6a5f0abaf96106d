import { afterEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import Reporter from './progress-reporter.cjs';
import { recordStrykerScore } from '../grader/stryker-score';
import type { StrykerGrade } from '../grader/stryker-grade';
import { list } from './list';
import { runSpecs } from './run-specs';
import { findKata } from './project';
import { createFixtureProject, solveByCopy, type FixtureProject } from './test-fixture';

describe('kata list', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  it('on a fresh clone, lists every kata in catalog order with 0 done', () => {
    project = createFixtureProject();

    const result = list({ cwd: project.cwd });

    expect(result.phases.map((p) => p.katas.map((k) => k.id))).toEqual([['basics/add', 'basics/greet', 'basics/shout']]);
    expect(result).toMatchObject({ done: 0, total: 3, next: 'basics/add' });
    expect(result.phases[0]!.katas[0]).toMatchObject({ ran: false, passed: 0, total: 0, done: false });
  });

  it('when a kata is solved by copying its solution and its specs ran, marks it done from the progress file', async () => {
    project = createFixtureProject();
    solveByCopy(project.cwd, 'basics/add');

    await runSpecs({ cwd: project.cwd, kata: findKata({ cwd: project.cwd }, 'basics/add') });
    const result = list({ cwd: project.cwd });

    expect(result.phases[0]!.katas[0]).toMatchObject({ id: 'basics/add', passed: 2, total: 2, done: true });
    expect(result).toMatchObject({ done: 1, next: 'basics/greet' });
  });

  it('when a spec run is partly green, shows green / total and not done', async () => {
    project = createFixtureProject();
    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => 3;\n');

    await runSpecs({ cwd: project.cwd, kata: findKata({ cwd: project.cwd }, 'add') });

    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ passed: 1, total: 2, done: false });
  });

  it('marks a kata done only while its recorded run matches its files: an edit after the run (a restored starter) undoes it', async () => {
    project = createFixtureProject();
    solveByCopy(project.cwd, 'basics/add');
    await runSpecs({ cwd: project.cwd, kata: findKata({ cwd: project.cwd }, 'basics/add') });
    const solved = list({ cwd: project.cwd }).phases[0]!.katas[0];

    project.write('katas/basics/add/src/add.js', project.read('solutions/basics/add/src/add.js').replace('a + b', 'b + a'));
    const edited = list({ cwd: project.cwd });

    expect(solved).toMatchObject({ done: true, current: true });
    expect(edited.phases[0]!.katas[0]).toMatchObject({ passed: 2, total: 2, current: false, done: false });
    expect(edited.next).toBe('basics/add');
  });

  it('shows step progress for a stepped kata, from runs of one step at a time', async () => {
    project = createFixtureProject();
    const kata = findKata({ cwd: project.cwd }, 'shout');
    project.write('katas/basics/shout/src/shout.js', 'exports.shout = (text) => `${text.toUpperCase()}!`;\n');

    await runSpecs({ cwd: project.cwd, kata, testNamePattern: '^1\\. Upper-case ' });
    const afterStep1 = list({ cwd: project.cwd }).phases[0]!.katas[2];
    await runSpecs({ cwd: project.cwd, kata, testNamePattern: '^2\\. Exclaim ' });
    const afterStep2 = list({ cwd: project.cwd }).phases[0]!.katas[2];

    expect(afterStep1).toMatchObject({ steps: 3, stepsDone: 1, step: 2 });
    expect(afterStep2).toMatchObject({ steps: 3, stepsDone: 2, step: 3, passed: 2, total: 3, done: false });
  });

  it('does not record runs against the solutions or with KATA_PROGRESS=off (verify)', async () => {
    project = createFixtureProject();
    const kata = findKata({ cwd: project.cwd }, 'basics/add');

    await runSpecs({ cwd: project.cwd, kata, target: 'solutions' });
    await runSpecs({ cwd: project.cwd, kata, env: { KATA_PROGRESS: 'off' } });

    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ ran: false, total: 0 });
  });

  it('for a graded testing kata, shows the mutation score: mutant tests passed of all', () => {
    project = createFixtureProject();
    const mutantTest = (name: string, status: string) => ({ fullName: `2. Step catches mutant "${name}": a bug`, title: `catches mutant "${name}": a bug`, status });

    Reporter.recordRun(project.cwd, [
      {
        testFilePath: path.join(project.cwd, 'katas/basics/add/add.spec.js'),
        testResults: [
          { fullName: '1. Step every test passes', title: 'every test passes', status: 'passed' },
          mutantTest('off-by-one', 'passed'),
          mutantTest('stale-cache', 'failed'),
          mutantTest('no-owner-check', 'passed'),
        ],
      },
    ]);

    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ passed: 3, total: 4, mutants: { caught: 2, total: 3 } });
    expect(list({ cwd: project.cwd }).phases[0]!.katas[1]).toMatchObject({ mutants: null });
  });

  it('for a kata graded by StrykerJS, shows the score its grader recorded, once its spec ran', () => {
    project = createFixtureProject();
    const grade: StrykerGrade = { initialRunProblem: null, mutants: [], score: { detected: 110, valid: 117, percent: 94.02 } };
    recordStrykerScore(project.cwd, 'basics/add', grade);

    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ mutants: null });

    Reporter.recordRun(project.cwd, [
      {
        testFilePath: path.join(project.cwd, 'katas/basics/add/add.spec.js'),
        testResults: [{ fullName: '2. Score kills at least 90% of the mutants', title: 'kills at least 90% of the mutants', status: 'passed' }],
      },
    ]);

    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ mutants: { caught: 110, total: 117 } });
  });
});
