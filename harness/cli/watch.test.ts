import { afterEach, describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock';
import { rememberStarters } from './starters';
import { createFixtureProject, type FixtureProject } from './test-fixture';
import { startWatch, type WatchEvent, type WatchSession } from './watch';

/** Collects a session's events and lets a test wait for the next one of a type. */
function eventLog() {
  const events: WatchEvent[] = [];
  const waiters: Array<{ type: WatchEvent['type']; resolve: (e: WatchEvent) => void; from: number }> = [];
  return {
    events,
    onEvent(event: WatchEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.type === event.type) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    next<T extends WatchEvent['type']>(type: T): Promise<Extract<WatchEvent, { type: T }>> {
      return new Promise((resolve) => waiters.push({ type, resolve: resolve as (e: WatchEvent) => void, from: events.length }));
    },
    last<T extends WatchEvent['type']>(type: T) {
      return events.filter((e) => e.type === type).at(-1) as Extract<WatchEvent, { type: T }> | undefined;
    },
  };
}

describe('kata watch', () => {
  let project: FixtureProject;
  let session: WatchSession | undefined;
  afterEach(async () => {
    await session?.close();
    project.remove();
  });

  it('runs the first unsolved kata, re-runs after a real save once the debounce elapses, and reports red → green', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    const log = eventLog();

    session = await startWatch({ cwd: project.cwd, clock, onEvent: log.onEvent });
    await session.idle();
    const changed = log.next('change');
    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => a + b;\n');
    await changed;
    const noRunYet = log.events.filter((e) => e.type === 'running').length;
    clock.advance(40);
    await session.idle();

    expect(log.events[0]).toEqual({ type: 'kata', kata: { id: 'basics/add', title: 'Add two numbers', position: 1, count: 3 } });
    const results = log.events.filter((e) => e.type === 'result');
    expect(results.map((r) => [r.run.passed, r.run.total, r.green])).toEqual([
      [0, 2, false],
      [2, 2, true],
    ]);
    expect(results[1]).toMatchObject({ becameGreen: true, sinceSaveMs: 40 });
    expect(noRunYet).toBe(1);
    expect(results[0]!.run.tests[0]!.failure).toContain('Expected: 3');
  }, 30_000);

  it('answers h with the next hint, n with "not green yet" while red, and moves on once green', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    const log = eventLog();
    session = await startWatch({ cwd: project.cwd, clock, onEvent: log.onEvent });
    await session.idle();

    await session.key('h');
    await session.key('n');
    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => a + b;\n');
    await log.next('change');
    clock.advance(40);
    await session.idle();
    await session.key('n');
    await session.idle();

    expect(log.last('hint')?.result.shown).toEqual([{ number: 1, text: 'Read the spec.' }]);
    expect(log.events).toContainEqual({ type: 'not-green-yet', kata: 'basics/add', passed: 0, total: 2 });
    expect(log.last('kata')?.kata.id).toBe('basics/greet');
    expect(log.last('result')?.run.kata).toBe('basics/greet');
  }, 30_000);

  it('answers r by asking first, then restores the starter and runs again', async () => {
    project = createFixtureProject();
    rememberStarters(project.cwd);
    project.write('katas/basics/greet/src/greet.js', 'exports.greet = (n) => `Hello, ${n}!`;\n');
    const asked: string[] = [];
    const log = eventLog();
    session = await startWatch({
      cwd: project.cwd,
      kata: 'greet',
      clock: new FakeClock(),
      onEvent: log.onEvent,
      confirm: async (plan) => {
        asked.push(plan.kata);
        return true;
      },
    });
    await session.idle();

    await session.key('r');
    await session.idle();

    expect(asked).toEqual(['basics/greet']);
    expect(log.last('reset')?.result).toMatchObject({ applied: true, restore: ['src/greet.js'] });
    expect(log.events.filter((e) => e.type === 'result').map((e) => e.green)).toEqual([true, false]);
    expect(project.read('katas/basics/greet/src/greet.js')).toContain('TODO');
  }, 30_000);

  it('on a stepped kata, runs only the current step, moves to the next step when it is green, and runs the whole kata after the last', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    const log = eventLog();
    session = await startWatch({ cwd: project.cwd, kata: 'shout', clock, onEvent: log.onEvent });
    await session.idle();
    const save = async (code: string) => {
      const changed = log.next('change');
      project.write('katas/basics/shout/src/shout.js', code);
      await changed;
      clock.advance(40);
      await session!.idle();
    };

    await save('exports.shout = (text) => text.toUpperCase();\n');
    await save('exports.shout = (text) => `${text.toUpperCase()}!`;\n');
    await session.key('h');
    await save('exports.shout = (text) => `${text.trim().toUpperCase()}!`;\n');

    const runs = log.events.filter((e) => e.type === 'result').map((e) => [e.step.number, e.run.tests.map((t) => `${t.status} ${t.name}`), e.green]);
    expect(runs).toEqual([
      [1, ['failed 1. Upper-case capitalises every letter'], false],
      [1, ['passed 1. Upper-case capitalises every letter'], true],
      [2, ['failed 2. Exclaim ends with one exclamation mark'], false],
      [2, ['passed 2. Exclaim ends with one exclamation mark'], true],
      [3, ['failed 3. Trim drops the spaces around the text'], false],
      [3, ['passed 3. Trim drops the spaces around the text'], true],
      [null, ['passed 1. Upper-case capitalises every letter', 'passed 2. Exclaim ends with one exclamation mark', 'passed 3. Trim drops the spaces around the text'], true],
    ]);
    expect(log.events.filter((e) => e.type === 'step').map((e) => e.step.number)).toEqual([1, 2, 3, null]);
    expect(log.last('hint')?.result).toMatchObject({ step: { number: 3, name: '3. Trim' }, shown: [{ number: 1, text: 'Trim before anything else.' }] });
    expect(log.last('result')).toMatchObject({ becameGreen: true });
  }, 60_000);

  it('opens a stepped kata at the first step its recorded run left red, unless the code changed since that run', async () => {
    project = createFixtureProject();
    const log = eventLog();
    project.write('katas/basics/shout/src/shout.js', 'exports.shout = (text) => text.toUpperCase();\n');
    session = await startWatch({ cwd: project.cwd, kata: 'shout', clock: new FakeClock(), onEvent: log.onEvent });
    await session.idle();
    await session.close();
    const reopened = eventLog();
    session = await startWatch({ cwd: project.cwd, kata: 'shout', clock: new FakeClock(), onEvent: reopened.onEvent });
    await session.idle();
    await session.close();
    project.write('katas/basics/shout/src/shout.js', 'exports.shout = (text) => text;\n');
    const edited = eventLog();
    session = await startWatch({ cwd: project.cwd, kata: 'shout', clock: new FakeClock(), onEvent: edited.onEvent });
    await session.idle();

    expect(reopened.events.filter((e) => e.type === 'step').map((e) => e.step.number)).toEqual([2]);
    expect(edited.events.filter((e) => e.type === 'result').map((e) => [e.step.number, e.green])).toEqual([[1, false]]);
  }, 60_000);

  it('stops a run that outlives the time limit, names the spec it was on, and the next save runs again', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    const log = eventLog();
    session = await startWatch({ cwd: project.cwd, kata: 'shout', clock, onEvent: log.onEvent, timeLimitMs: 4_000 });
    await session.idle();
    // The daemon is warm now (a test finished): the plain limit applies.
    const looping = log.next('change');
    project.write('katas/basics/shout/src/shout.js', 'exports.shout = (text) => { for (;;) {} };\n');
    await looping;
    clock.advance(40);
    await session.idle();
    const changed = log.next('change');
    project.write('katas/basics/shout/src/shout.js', 'exports.shout = (text) => text.toUpperCase();\n');
    await changed;
    clock.advance(40);
    await session.idle();

    const timeout = log.last('timeout');
    expect(timeout?.error.message).toMatch(/stopped after 4 s without progress while running katas\/basics\/shout\/shout\.spec\.js › 1\. Upper-case capitalises every letter: probably an infinite loop or a missing response/);
    expect(log.events.filter((e) => e.type === 'result').map((e) => [e.step.number, e.green])).toEqual([[1, false], [1, true], [2, false]]);
  }, 60_000);
});
