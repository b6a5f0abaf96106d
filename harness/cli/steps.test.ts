import { afterEach, describe, expect, it } from '@jest/globals';
import { findKata } from './project';
import { stepIndexOf, stepPattern, stepSpecFiles, stepStatuses } from './steps';
import { createFixtureProject, type FixtureProject } from './test-fixture';

const steps = [
  { name: '1. Accept', task: 't', hints: ['h'] },
  { name: '2. Refuse (401)', task: 't', hints: ['h'] },
];

describe('steps', () => {
  let project: FixtureProject | undefined;
  afterEach(() => project?.remove());

  it("selects exactly one step's tests by full name, special characters included", () => {
    const pattern = new RegExp(stepPattern(steps[1]!), 'i');

    expect(pattern.test('2. Refuse (401) answers 401')).toBe(true);
    expect(pattern.test('2. Refuse (401)x answers')).toBe(false);
    expect(pattern.test('12. Refuse (401) answers')).toBe(false);
    expect(new RegExp(stepPattern(steps[0]!), 'i').test('1. Accepted answers')).toBe(false);
    expect(stepIndexOf('2. Refuse (401) answers 401', steps)).toBe(1);
  });

  it('counts a step done only when it has tests and all of them passed', () => {
    const statuses = stepStatuses(steps, [
      { name: '1. Accept a', status: 'passed' },
      { name: '1. Accept b', status: 'passed' },
      { name: '2. Refuse (401) c', status: 'failed' },
    ]);

    expect(statuses.map((s) => [s.passed, s.total, s.done])).toEqual([
      [2, 2, true],
      [0, 1, false],
    ]);
    expect(stepStatuses(steps, [])[0]!.done).toBe(false);
  });

  it("runs only the spec files that name the step, or all of them when none does", () => {
    project = createFixtureProject();
    project.write('katas/basics/shout/other.spec.js', "describe('2. Exclaim', () => { it('x', () => {}); });\n");
    const kata = findKata({ cwd: project.cwd }, 'shout');
    const [upper, exclaim] = kata.kata.steps!;

    expect(stepSpecFiles(project.cwd, kata, upper!)).toEqual(['katas/basics/shout/shout.spec.js']);
    expect(stepSpecFiles(project.cwd, kata, exclaim!)).toEqual(['katas/basics/shout/other.spec.js', 'katas/basics/shout/shout.spec.js']);
    expect(stepSpecFiles(project.cwd, kata, { name: '9. Nowhere', task: '', hints: [] })).toHaveLength(2);
  });
});
