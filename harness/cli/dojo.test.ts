import fs from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { io as connect, type Socket } from 'socket.io-client';
import { FakeClock } from './clock';
import { parseDojoOptions, startDojo, type DashboardState, type DojoEvent, type DojoSession } from './dojo';
import { DojoOptionsError } from './errors';
import { createFixtureProject, type FixtureProject } from './test-fixture';

describe('kata dojo', () => {
  let project: FixtureProject;
  let dojo: DojoSession | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.close();
    await dojo?.end();
    project.remove();
  });

  it('rotates driver and navigator with the timer, re-runs at each rotation and on save, pushes state live and logs the session', async () => {
    project = createFixtureProject();
    const clock = new FakeClock();
    const events: DojoEvent[] = [];
    dojo = await startDojo({ cwd: project.cwd, kata: 'basics/add', people: ['Ana', 'Bo', 'Chi'], minutes: 5, clock, onEvent: (e) => events.push(e), logFile: `${project.cwd}/session.md` });
    const states: DashboardState[] = [];
    client = connect(dojo.url!, { transports: ['websocket'] });
    client.on('state', (state: DashboardState) => states.push(state));
    await waitUntil(() => events.some((e) => e.type === 'result'));

    project.write('katas/basics/add/src/add.js', 'exports.add = (a, b) => (a === 1 ? 3 : 0);\n');
    await waitUntil(() => countOf(events, 'change') > 0);
    clock.advance(40); // the watcher's debounce, on the fake clock
    await waitUntil(() => countOf(events, 'result') === 2);
    clock.advance(5 * 60_000);
    await waitUntil(() => countOf(events, 'result') === 3);
    const { logFile } = await dojo.end();

    expect(events.filter((e) => e.type === 'turn').map((e) => [e.driver, e.navigator])).toEqual([
      ['Ana', 'Bo'],
      ['Bo', 'Chi'],
    ]);
    const results = events.filter((e) => e.type === 'result');
    expect(results.map((r) => r.run.passed)).toEqual([0, 1, 1]);
    expect(results[1]).toMatchObject({ turnedGreen: ['add adds two positive numbers'], driver: 'Ana' });
    await waitUntil(() => states.some((s) => s.passed === 1 && s.driver === 'Bo'));
    expect(states.at(-1)).toMatchObject({ driver: 'Bo', navigator: 'Chi', turn: 2, total: 2 });
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('| 1 | Ana | Bo | 00:00 | 05:00 | 1 |');
    expect(log).toContain('| 2 | Bo | Chi | 05:00 | 05:00 |');
    expect(log).toContain('1 turned green (Ana driving)');
    expect(log).toContain('1/2 green.');
  }, 30_000);

  it('refuses fewer than two people or a non-positive number of minutes', () => {
    expect(() => parseDojoOptions('Ana', '5')).toThrow(DojoOptionsError);
    expect(() => parseDojoOptions('Ana,Bo', '0')).toThrow(DojoOptionsError);
    expect(parseDojoOptions(' Ana, Bo ,Chi', '2.5')).toEqual({ people: ['Ana', 'Bo', 'Chi'], minutes: 2.5 });
  });
});

function countOf(events: DojoEvent[], type: DojoEvent['type']): number {
  return events.filter((e) => e.type === type).length;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 10 s');
}
