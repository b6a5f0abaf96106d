import { describe, expect, it } from '@jest/globals';
import type { KataRun, TestCaseOutcome } from './jest-report';
import { compareRuns, formatKataTable } from './kata-table';

const testCase = (name: string, status: TestCaseOutcome['status'], kata = 'errors/demo'): TestCaseOutcome => ({
  kata,
  file: `katas/${kata}/demo.spec.ts`,
  name,
  status,
});
const run = (...cases: TestCaseOutcome[]): KataRun => ({ cases, suiteErrors: [] });

describe('compareRuns()', () => {
  it('finds nothing when every case is green on the solution and red on the starter', () => {
    const { rows, findings } = compareRuns(['errors/demo'], run(testCase('a', 'passed'), testCase('b', 'passed')), run(testCase('a', 'failed'), testCase('b', 'failed')));

    expect(findings).toEqual([]);
    expect(rows).toEqual([{ kata: 'errors/demo', tests: 2, solutionGreen: 2, starterRed: 2 }]);
  });

  it('names a starter case that passes and a solution case that fails', () => {
    const { findings } = compareRuns(['errors/demo'], run(testCase('a', 'failed'), testCase('b', 'passed')), run(testCase('a', 'failed'), testCase('b', 'passed')));

    expect(findings).toEqual([
      { kind: 'solution-test-fails', where: 'katas/errors/demo/demo.spec.ts › a' },
      { kind: 'starter-test-passes', where: 'katas/errors/demo/demo.spec.ts › b' },
    ]);
  });

  it("gives a failing solution case's message, so CI's log says why", () => {
    const failing = { ...testCase('a', 'failed'), failure: 'expected 200, received 500' };

    const { findings } = compareRuns(['errors/demo'], run(failing), run(testCase('a', 'failed')));

    expect(findings).toEqual([{ kind: 'solution-test-fails', where: 'katas/errors/demo/demo.spec.ts › a', detail: 'expected 200, received 500' }]);
  });

  it('refuses skipped specs, catalogued katas without specs and starter suites that do not load', () => {
    const starter: KataRun = { cases: [], suiteErrors: [{ kata: 'errors/demo', file: 'katas/errors/demo/demo.spec.ts', message: 'SyntaxError' }] };

    const { findings } = compareRuns(['errors/demo', 'errors/empty'], run(testCase('a', 'passed'), testCase('b', 'skipped')), starter);

    expect(findings.map((f) => f.kind).sort()).toEqual(['kata-without-specs', 'skipped-test', 'suite-error']);
  });
});

describe('formatKataTable()', () => {
  it('prints one aligned row per kata', () => {
    const lines = formatKataTable([
      { kata: 'errors/demo', tests: 12, solutionGreen: 12, starterRed: 12, wrongCaught: 3, wrongWritten: 4 },
      { kata: 'errors/other', tests: 2, solutionGreen: 2, starterRed: 2 },
    ]);

    expect(lines[0]).toMatch(/^kata\s+tests\s+solution green\s+starter red\s+wrong caught$/);
    expect(lines[2]).toMatch(/^errors\/demo\s+12\s+12\/12\s+12\/12\s+3\/4$/);
    expect(lines[3]).toMatch(/^errors\/other\s+2\s+2\/2\s+2\/2\s+-$/);
  });
});
