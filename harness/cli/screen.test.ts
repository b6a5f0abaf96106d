import { afterEach, describe, expect, it } from '@jest/globals';
import { stripVTControlCharacters } from 'node:util';
import { stylerFor } from '../output/style';
import { Home } from './home';
import { hint } from './hint';
import type { SpecRun } from './run-specs';
import { renderHome } from './screen';
import { createFixtureProject, type FixtureProject } from './test-fixture';
import type { WatchStep } from './watch';

const plain = stylerFor({ isTTY: false });
const step1: WatchStep = { number: 1, count: 3, name: '1. Upper-case', task: 'Return the text in capitals.' };

function run(tests: SpecRun['tests'], suiteErrors: SpecRun['suiteErrors'] = []): SpecRun {
  const passed = tests.filter((t) => t.status === 'passed').length;
  return { kata: 'basics/shout', target: 'katas', tests, suiteErrors, passed, total: tests.length, elapsedMs: 812 };
}

const failing = (name: string, failure: string) => ({ file: 'katas/basics/shout/shout.spec.js', name: `1. Upper-case ${name}`, status: 'failed' as const, failure });

describe('the watch home screen', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  function homeOnShout(): Home {
    const home = new Home(project.cwd, plain);
    home.apply({ type: 'kata', kata: { id: 'basics/shout', title: 'Shout a message', position: 3, count: 3 } });
    home.apply({ type: 'step', kata: 'basics/shout', step: step1 });
    return home;
  }

  it('at 80×24, fills exactly the terminal with the step, the file to edit with its TODOs, the README, the specs, the first failure and the keys last', () => {
    project = createFixtureProject();
    const home = homeOnShout();
    const tests = [
      failing('capitalises every letter', 'Error: expect(received).toBe(expected)\n\nExpected: "HEY YOU"\nReceived: "hey you"\n    at Object.<anonymous> (katas/basics/shout/shout.spec.js:3:60)\n    at new Promise (<anonymous>)\n    at node_modules/jest-circus/build/index.js:1:1'),
      ...Array.from({ length: 30 }, (_, i) => ({ file: 'katas/basics/shout/shout.spec.js', name: `1. Upper-case passes case ${i}`, status: 'passed' as const })),
    ];
    home.apply({ type: 'result', run: run(tests), step: step1, green: false, becameGreen: false, sinceSaveMs: 850 });

    const lines = renderHome(home.state, { columns: 80, rows: 24 }, plain);
    const text = lines.join('\n');

    expect(lines).toHaveLength(24);
    expect(lines.filter((l) => stripVTControlCharacters(l).length > 80)).toEqual([]);
    expect(lines[0]).toContain('Shout a message');
    expect(text).toContain('Step 1/3: Upper-case');
    expect(text).toContain('Edit katas/basics/shout/src/shout.js  1 TODO');
    expect(text).toContain('Read katas/basics/shout/README.md');
    expect(text).toContain('30/31 green');
    expect(text).toContain('✖ capitalises every letter');
    expect(text).toMatch(/… \d+ more specs/);
    expect(text).toContain('● 1. Upper-case capitalises every letter');
    expect(text).toContain('Received: "hey you"');
    expect(text).not.toContain('node_modules');
    expect(text).not.toContain('new Promise');
    expect(lines[23]).toContain('q quit');
  });

  it('at 160×50, shows every spec of the step and the whole failure', () => {
    project = createFixtureProject();
    const home = homeOnShout();
    const tests = [failing('capitalises every letter', 'Expected: "HEY YOU"\nReceived: "hey you"'), ...Array.from({ length: 20 }, (_, i) => ({ file: 'x', name: `1. Upper-case passes case ${i}`, status: 'passed' as const }))];
    home.apply({ type: 'result', run: run(tests), step: step1, green: false, becameGreen: false, sinceSaveMs: null });

    const text = renderHome(home.state, { columns: 160, rows: 50 }, plain).join('\n');

    expect(text).toContain('✔ passes case 19');
    expect(text).not.toContain('more specs');
    expect(text).toContain('Received: "hey you"');
  });

  it('h opens the hint as a view over the screen, h again shows the next one in its place, and closing the view brings the home screen back', () => {
    project = createFixtureProject();
    const home = homeOnShout();

    home.apply({ type: 'hint', result: hint({ cwd: project.cwd }, 'shout') });
    const first = renderHome(home.state, { columns: 80, rows: 24 }, plain).join('\n');
    home.apply({ type: 'hint', result: hint({ cwd: project.cwd }, 'shout') });
    const second = renderHome(home.state, { columns: 80, rows: 24 }, plain);
    home.closeView();
    const back = renderHome(home.state, { columns: 80, rows: 24 }, plain).join('\n');

    expect(first).toContain('Hint 1 of 2');
    expect(first).toContain('press h again');
    expect(second).toHaveLength(24);
    expect(second.join('\n')).toContain('  │ return text.toUpperCase();');
    expect(second.join('\n')).not.toContain('```');
    expect(back).toContain('Step 1/3: Upper-case');
    expect(back).not.toContain('Hint');
  });

  it('shows a run where every failure is the same missing service as one environment problem with its fix, not as red specs', () => {
    project = createFixtureProject();
    const home = homeOnShout();
    const missing = 'RedisBinaryMissingError: No redis-server binary is usable (not on PATH, not recorded by `npm run setup`).';
    home.apply({ type: 'result', run: run([failing('a', missing), failing('b', missing)]), step: step1, green: false, becameGreen: false, sinceSaveMs: null });

    const text = renderHome(home.state, { columns: 100, rows: 30 }, plain).join('\n');

    expect(text).toContain('Environment problem, not your code: no usable redis-server');
    expect(text).toContain('Fix: install Redis');
    expect(text).not.toContain('✖');
    expect(text).not.toContain('0/2 green');
  });

  it('l lists every kata without suggesting the one being watched', () => {
    project = createFixtureProject();
    const home = new Home(project.cwd, plain);
    home.apply({ type: 'kata', kata: { id: 'basics/add', title: 'Add two numbers', position: 1, count: 3 } });

    home.apply({ type: 'list', result: { phases: [], done: 0, total: 3, next: 'basics/add' } });

    expect(home.state.view?.lines.join('\n')).not.toContain('npm run kata -- watch basics/add');
  });
});
