import { afterEach, describe, expect, it } from '@jest/globals';
import { UnknownKataError } from './errors';
import { hint } from './hint';
import { reset } from './reset';
import { rememberStarters } from './starters';
import { createFixtureProject, type FixtureProject } from './test-fixture';

describe('kata hint', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  it('reveals one more hint per call and stays on the last one', () => {
    project = createFixtureProject();
    const cwd = project.cwd;

    const first = hint({ cwd }, 'basics/add');
    const second = hint({ cwd }, 'basics/add');
    hint({ cwd }, 'basics/add');
    const fourth = hint({ cwd }, 'basics/add');

    expect(first.shown).toEqual([{ number: 1, text: 'Read the spec.' }]);
    expect(second.shown.map((h) => h.number)).toEqual([1, 2]);
    expect(fourth).toMatchObject({ total: 3, exhausted: true });
    expect(fourth.shown.at(-1)).toEqual({ number: 3, text: 'return a + b;' });
  });

  it('with --all, shows every hint at once', () => {
    project = createFixtureProject();

    const result = hint({ cwd: project.cwd }, 'basics/add', { all: true });

    expect(result.shown).toHaveLength(3);
    expect(result.exhausted).toBe(true);
  });

  it('for an unknown kata, throws with the closest names', () => {
    project = createFixtureProject();

    const attempt = () => hint({ cwd: project.cwd }, 'basics/ad');

    expect(attempt).toThrow(UnknownKataError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'KATA_UNKNOWN', suggestions: ['basics/add'] }));
    try {
      attempt();
    } catch (error) {
      expect((error as UnknownKataError).next).toContain('Did you mean `basics/add`?');
    }
  });

  it('on a stepped kata, reveals the hints of the step to work on, one per call, and reset starts them over', async () => {
    project = createFixtureProject();
    const cwd = project.cwd;
    rememberStarters(cwd);

    const first = hint({ cwd }, 'shout');
    const second = hint({ cwd }, 'shout');
    const otherStep = hint({ cwd }, 'shout', { step: 3 });
    await reset({ cwd, kata: 'shout', yes: true });
    const afterReset = hint({ cwd }, 'shout');

    expect(first).toMatchObject({ step: { number: 1, count: 3, name: '1. Upper-case' }, total: 2, exhausted: false });
    expect(second.shown.map((h) => h.number)).toEqual([1, 2]);
    expect(second.shown[1]!.text).toContain('```js\nreturn text.toUpperCase();\n```');
    expect(otherStep).toMatchObject({ step: { number: 3 }, shown: [{ number: 1, text: 'Trim before anything else.' }] });
    expect(afterReset.shown.map((h) => h.number)).toEqual([1]);
    expect(() => hint({ cwd }, 'shout', { step: 4 })).toThrow('its steps are 1 to 3');
  });
});
