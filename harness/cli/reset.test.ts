import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { graderCatchersFile } from '../grader/catchers-file';
import { readStrykerScore, recordStrykerScore } from '../grader/stryker-score';
import { readCatchersFile, writeCatchersFile } from '../verify/catchers';
import type { StrykerGrade } from '../grader/stryker-grade';
import { ResetNotConfirmedError, StarterUnavailableError } from './errors';
import { list } from './list';
import { findKata } from './project';
import { reset } from './reset';
import { runSpecs } from './run-specs';
import { rememberStarters } from './starters';
import { createFixtureProject, solveByCopy, type FixtureProject } from './test-fixture';

const starter = '// TODO: return the sum\nexports.add = (a, b) => 0;\n';

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Learner', '-c', 'user.email=l@example.com', ...args], { cwd, stdio: 'ignore' });
}

describe('kata reset', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  it('when the learner committed their work in git, restores the shipped starter from the object database', async () => {
    project = createFixtureProject();
    git(project.cwd, 'init', '-q');
    git(project.cwd, 'add', '.');
    git(project.cwd, 'commit', '-qm', 'dojo as shipped');
    solveByCopy(project.cwd, 'basics/add');
    project.write('katas/basics/add/src/helper.js', 'exports.x = 1;\n');
    git(project.cwd, 'add', '.');
    git(project.cwd, 'commit', '-qm', 'my solution');
    fs.rmSync(path.join(project.cwd, '.kata'), { recursive: true, force: true });

    const result = await reset({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(result).toMatchObject({ applied: true, restore: ['src/add.js'], remove: ['src/helper.js'] });
    expect(project.read('katas/basics/add/src/add.js')).toBe(starter);
    expect(fs.existsSync(path.join(project.cwd, 'katas/basics/add/src/helper.js'))).toBe(false);
  });

  it('without git, restores from the snapshot taken while the starter was untouched, and touches nothing else', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd); // as main.ts does before every command, and setup at install
    const spec = project.read('katas/basics/add/add.spec.js');
    solveByCopy(project.cwd, 'basics/add');
    solveByCopy(project.cwd, 'basics/greet');

    await reset({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(project.read('katas/basics/add/src/add.js')).toBe(starter);
    expect(project.read('katas/basics/add/add.spec.js')).toBe(spec);
    expect(project.read('katas/basics/greet/src/greet.js')).toContain('Hello');
  });

  it('brings a done kata back to 0 green in the list', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    solveByCopy(project.cwd, 'basics/add');
    await runSpecs({ cwd: project.cwd, kata: findKata({ cwd: project.cwd }, 'basics/add') });
    expect(list({ cwd: project.cwd }).done).toBe(1);

    await reset({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(list({ cwd: project.cwd })).toMatchObject({ done: 0 });
    expect(list({ cwd: project.cwd }).phases[0]!.katas[0]).toMatchObject({ passed: 0, total: 2 });
  });

  it('forgets the mutation score StrykerJS measured of the tests it restores away', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    solveByCopy(project.cwd, 'basics/add');
    recordStrykerScore(project.cwd, 'basics/add', { score: { detected: 110, valid: 117 } } as StrykerGrade);
    expect(readStrykerScore(project.cwd, 'basics/add')).toEqual({ caught: 110, total: 117 });

    await reset({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(readStrykerScore(project.cwd, 'basics/add')).toBeNull();
  });

  it('forgets which of the learner\'s tests caught each mutant, and never the reference tests\' record', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    solveByCopy(project.cwd, 'basics/add');
    const record = { 'adds-twice': { spec: 'add.test.ts', test: ['add', 'adds once'] } };
    const learner = graderCatchersFile(project.cwd, 'basics/add', 'katas');
    const reference = graderCatchersFile(project.cwd, 'basics/add', 'solutions');
    writeCatchersFile(learner, record);
    writeCatchersFile(reference, record);

    await reset({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(readCatchersFile(learner)).toEqual({});
    expect(readCatchersFile(reference)).toEqual(record);
  });

  it('asks first, and changes nothing when the answer is no', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    solveByCopy(project.cwd, 'basics/add');
    const asked: string[][] = [];

    const result = await reset({
      cwd: project.cwd,
      kata: 'basics/add',
      confirm: async (plan) => {
        asked.push(plan.restore);
        return false;
      },
    });

    expect(asked).toEqual([['src/add.js']]);
    expect(result.applied).toBe(false);
    expect(project.read('katas/basics/add/src/add.js')).toContain('a + b');
  });

  it('without --yes and no way to ask, throws and names the --yes command', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    solveByCopy(project.cwd, 'basics/add');

    const attempt = reset({ cwd: project.cwd, kata: 'basics/add' });

    await expect(attempt).rejects.toThrow(ResetNotConfirmedError);
    await expect(reset({ cwd: project.cwd, kata: 'basics/add' })).rejects.toMatchObject({ next: expect.stringContaining('reset basics/add --yes') });
  });

  it('when neither git nor a snapshot holds the starter, throws and changes nothing', async () => {
    project = createFixtureProject();
    solveByCopy(project.cwd, 'basics/add'); // edited before any command could snapshot it

    await expect(reset({ cwd: project.cwd, kata: 'basics/add', yes: true })).rejects.toThrow(StarterUnavailableError);
    expect(project.read('katas/basics/add/src/add.js')).toContain('a + b');
  });
});
