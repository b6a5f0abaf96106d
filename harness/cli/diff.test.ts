import { afterEach, describe, expect, it } from '@jest/globals';
import { diff } from './diff';
import { SolutionNotConfirmedError } from './errors';
import { createFixtureProject, type FixtureProject } from './test-fixture';

describe('kata diff', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  it('shows a unified diff of src/ against the solution, then which specs pass on each side', async () => {
    project = createFixtureProject();
    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => 3;\n');

    const result = await diff({ cwd: project.cwd, kata: 'basics/add', yes: true });

    expect(result.files).toEqual([expect.objectContaining({ file: 'src/add.js', state: 'changed' })]);
    expect(result.files[0]!.patch).toContain('-exports.add = (a, b) => 3;');
    expect(result.files[0]!.patch).toContain('+exports.add = (a, b) => a + b;');
    expect(result.specs).toEqual([
      { name: 'add adds two positive numbers', yours: 'passed', solution: 'passed' },
      { name: 'add adds a negative number', yours: 'failed', solution: 'passed' },
    ]);
  });

  it('when the file matches the solution, reports it as the same with no patch', async () => {
    project = createFixtureProject();
    project.write('katas/basics/greet/src/greet.js', project.read('solutions/basics/greet/src/greet.js'));

    const result = await diff({ cwd: project.cwd, kata: 'greet', noSpecs: true, yes: true });

    expect(result.files).toEqual([{ file: 'src/greet.js', state: 'same', patch: '' }]);
  });

  it('asks before showing a kata\'s solution the first time, refuses on no (or with nobody to ask), and does not ask again after a yes', async () => {
    project = createFixtureProject();
    const asked: string[] = [];
    const answer = (yes: boolean) => async (kata: string) => {
      asked.push(kata);
      return yes;
    };

    await expect(diff({ cwd: project.cwd, kata: 'add', noSpecs: true })).rejects.toThrow(SolutionNotConfirmedError);
    await expect(diff({ cwd: project.cwd, kata: 'add', noSpecs: true, confirm: answer(false) })).rejects.toThrow(SolutionNotConfirmedError);
    const shown = await diff({ cwd: project.cwd, kata: 'add', noSpecs: true, confirm: answer(true) });
    const again = await diff({ cwd: project.cwd, kata: 'add', noSpecs: true, confirm: answer(false) });
    const otherKata = diff({ cwd: project.cwd, kata: 'greet', noSpecs: true });

    expect(asked).toEqual(['basics/add', 'basics/add']);
    expect(shown.files[0]!.patch).toContain('+exports.add = (a, b) => a + b;');
    expect(again.files).toEqual(shown.files);
    await expect(otherKata).rejects.toThrow(SolutionNotConfirmedError);
  });
});
