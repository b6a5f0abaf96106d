import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readJestReport } from './jest-report';

describe('readJestReport()', () => {
  it("keeps a failed case's first lines of message, without colour codes, and none for a passed case", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-report-'));
    const longMessage = ['\u001b[31mexpected 200\u001b[39m', ...Array.from({ length: 30 }, (_, i) => `line ${i}`)].join('\n');
    const report = {
      testResults: [
        {
          name: path.join(root, 'katas', 'errors', 'demo', 'demo.spec.ts'),
          status: 'failed',
          message: '',
          assertionResults: [
            { fullName: 'a', status: 'failed', failureMessages: [longMessage] },
            { fullName: 'b', status: 'passed', failureMessages: [] },
          ],
        },
      ],
    };
    const file = path.join(root, 'report.json');
    fs.writeFileSync(file, JSON.stringify(report));

    const run = readJestReport(file, root);

    expect(run.cases).toEqual([
      { kata: 'errors/demo', file: path.join('katas', 'errors', 'demo', 'demo.spec.ts'), name: 'a', status: 'failed', failure: ['expected 200', ...Array.from({ length: 19 }, (_, i) => `line ${i}`)].join('\n') },
      { kata: 'errors/demo', file: path.join('katas', 'errors', 'demo', 'demo.spec.ts'), name: 'b', status: 'passed' },
    ]);
    fs.rmSync(root, { recursive: true });
  });
});
