import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestResult } from '@jest/test-result';
import type { Catcher } from './catchers';
import type { FileOutcome } from './wrong-solutions';
import { CONTROL_ID, GROUP_SIZE, groupOptions, planGroups } from './wrong-groups';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS that Jest loads itself
const OutcomeReporter = require('../jest/outcome-reporter.cjs') as new (g: unknown, o: { outputFile: string }) => {
  onTestResult(test: unknown, result: TestResult): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS that Jest loads itself
const { LOAD_FAILED } = require('../jest/wrong-group-names.cjs') as { LOAD_FAILED: string };

const catcher = (spec: string, ...test: string[]): Catcher => ({ spec, test });
const patch = (name: string, found: Catcher) => ({ item: name, name, overlay: `/o/${name}`, catcher: found });

describe('planGroups()', () => {
  it('groups the patches caught in one spec file, and leaves alone a patch with no test or no companion', () => {
    const { groups, alone } = planGroups([
      patch('a', catcher('k/one.spec.ts', 'block', 'first')),
      patch('b', catcher('k/one.spec.ts', 'block', 'second')),
      patch('c', catcher('k/two.spec.ts', 'only one here')),
      patch('d', catcher('k/one.spec.ts')),
    ]);

    expect(groups).toHaveLength(1);
    expect(groups[0]!.spec).toBe('k/one.spec.ts');
    expect(groups[0]!.patches.map((p) => [p.item, p.id])).toEqual([
      ['a', '✗ a'],
      ['b', '✗ b'],
    ]);
    expect(alone.sort()).toEqual(['c', 'd']);
  });

  it(`splits a spec file's patches into even groups of at most ${GROUP_SIZE}`, () => {
    const many = Array.from({ length: GROUP_SIZE + 1 }, (_, i) => patch(`p${i}`, catcher('k/one.spec.ts', 't')));

    const sizes = planGroups(many).groups.map((g) => g.patches.length);

    expect(sizes.sort()).toEqual([Math.floor((GROUP_SIZE + 1) / 2), Math.ceil((GROUP_SIZE + 1) / 2)]);
  });

  it("gives the control every patch's catching test once, and the unpatched solution", () => {
    const [group] = planGroups([patch('a', catcher('k/one.spec.ts', 't1')), patch('b', catcher('k/one.spec.ts', 't1')), patch('c', catcher('k/one.spec.ts', 't2'))]).groups;

    expect(groupOptions('/repo', group!)).toEqual({
      spec: path.join('/repo', 'k/one.spec.ts'),
      patches: [
        { id: '✗ a', overlay: '/o/a', tests: [['t1']] },
        { id: '✗ b', overlay: '/o/b', tests: [['t1']] },
        { id: '✗ c', overlay: '/o/c', tests: [['t2']] },
      ],
      control: { id: CONTROL_ID, overlay: null, tests: [['t1'], ['t2']] },
    });
  });
});

describe("the outcome reporter on a group's file", () => {
  const group = { spec: '/repo/k/one.spec.ts', patches: [{ id: '✗ a', overlay: '/o/a' }, { id: '✗ b', overlay: '/o/b' }], control: { id: CONTROL_ID } };
  const test = (member: string, names: string[], status: 'passed' | 'failed' | 'pending', message = 'boom') =>
    ({ ancestorTitles: [member, ...names.slice(0, -1)], title: names[names.length - 1], fullName: '', status, duration: 5, failureMessages: status === 'failed' ? [message] : [] }) as unknown as TestResult['testResults'][number];

  function report(testResults: TestResult['testResults'], extra: Partial<TestResult> = {}): FileOutcome[] {
    const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'group-report-')), 'outcomes.jsonl');
    const reporter = new OutcomeReporter({}, { outputFile });
    const failing = testResults.filter((t) => t.status === 'failed').length;
    reporter.onTestResult({ context: { config: { rootDir: '/groups/0', testEnvironmentOptions: { wrongGroup: group } } } }, {
      testResults,
      numFailingTests: failing,
      failureMessage: failing > 0 ? 'failed' : undefined,
      ...extra,
    } as TestResult);
    const lines = fs.readFileSync(outputFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FileOutcome);
    fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
    return lines;
  }

  it("writes one line per patch, as if it had run alone, and one for the control under the group's rootDir", () => {
    const lines = report([test('✗ a', ['block', 'first'], 'failed'), test('✗ a', ['block', 'second'], 'pending'), test('✗ b', ['block', 'second'], 'passed'), test(CONTROL_ID, ['block', 'first'], 'passed')]);

    expect(lines.map((l) => [l.project, l.file, l.passed, l.failedPaths, l.failed, l.otherFailure])).toEqual([
      ['/o/a', '/repo/k/one.spec.ts', 0, [['block', 'first']], ['block first'], false],
      ['/o/b', '/repo/k/one.spec.ts', 1, [], [], false],
      ['/groups/0', '/repo/k/one.spec.ts', 1, [], [], false],
    ]);
  });

  it('reports a spec that failed to load against a patch as that file failing to run, for that patch only', () => {
    const [a, b] = report([test('✗ a', [LOAD_FAILED], 'failed', 'Cannot find module x'), test('✗ b', ['t'], 'passed')]);

    expect(a).toMatchObject({ failed: [], suiteError: 'Cannot find module x' });
    expect(b).toMatchObject({ passed: 1, failed: [] });
    expect(b!.suiteError).toBeUndefined();
  });

  it('puts a failure outside every test on the control, which voids the group', () => {
    const lines = report([test('✗ a', ['t'], 'passed'), test(CONTROL_ID, ['t'], 'passed')], { numFailingTests: 0, failureMessage: 'afterAll threw' });

    expect(lines.map((l) => l.otherFailure)).toEqual([false, false, true]);
  });
});
