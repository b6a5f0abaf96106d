import { afterAll, describe, expect, it } from '@jest/globals';
import type { Test } from '@jest/test-result';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AppFirstSequencer = require('./app-first-sequencer.cjs') as new () => {
  sort(tests: Test[]): Promise<Test[]>;
  cacheResults(tests: Test[], results: unknown): void;
};

const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-sequencer-'));
afterAll(() => fs.rmSync(cacheDirectory, { recursive: true, force: true }));

// Every grader suite runs the same test file: only the project (one per mutant) tells them apart.
const testFile = path.join(cacheDirectory, 'timesheet.test.ts');
fs.writeFileSync(testFile, '');

function suite(name: string, options: Record<string, unknown> = { failureMarker: `${cacheDirectory}/failed-${name}` }): Test {
  const config = { id: `sequencer-test-${name}`, cache: true, cacheDirectory, displayName: { name, color: 'white' }, haste: {}, testEnvironmentOptions: options };
  // hasteFS: Jest orders suites it has no time for by file size (all the same file here).
  return { path: testFile, context: { config, hasteFS: { getSize: () => 0 } } } as unknown as Test;
}

function result(name: string, runtime: number, failed: boolean) {
  return { testFilePath: testFile, displayName: { name, color: 'white' }, numFailingTests: failed ? 1 : 0, perfStats: { runtime, start: 0, end: runtime }, skipped: false };
}

describe('the grader suites order', () => {
  it('puts the real app first, then the suites a grading before timed, longest first', async () => {
    // alone-on-app: a catcher run alone on the real app (it passes; Jest would put it after every failed suite).
    const names = ['app', 'mutant:quick', 'mutant:waits-out-its-limit', 'mutant:middling', 'alone-on-app:0'];
    // The app's suite reports its failures (reportFailureTo); every other suite stops at its first.
    const suites = () => names.map((name) => (name === 'app' ? suite(name, { reportFailureTo: `${cacheDirectory}/app-failed` }) : suite(name)));
    new AppFirstSequencer().cacheResults(suites(), {
      testResults: [result('app', 9000, false), result('mutant:quick', 300, true), result('mutant:waits-out-its-limit', 3200, true), result('mutant:middling', 900, true), result('alone-on-app:0', 1500, false)],
    });

    // The next grading: a new sequencer, new Test objects, the times read back from Jest's cache.
    const order = (await new AppFirstSequencer().sort(suites())).map((test) => (test.context.config.displayName as { name: string }).name);

    expect(order).toEqual(['app', 'mutant:waits-out-its-limit', 'alone-on-app:0', 'mutant:middling', 'mutant:quick']);
  });
});
