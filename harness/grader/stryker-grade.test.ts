import { describe, expect, it } from '@jest/globals';
import { readStrykerReport, type MutationReport } from './stryker-grade';

// A report as StrykerJS 9 writes it (mutation-testing-report-schema): 1-based lines and columns.
const source = [
  'export const LIMIT = 10;',
  '',
  'export function isSmall(n: number): boolean {',
  '  return n < LIMIT;',
  '}',
  '',
  'function label(n: number): string {',
  "  if (n < 0) throw new Error('negative');",
  "  return isSmall(n) ? 'small' : 'large';",
  '}',
].join('\n');

const at = (line: number, column: number, endLine: number, endColumn: number) => ({ start: { line, column }, end: { line: endLine, column: endColumn } });

const report: MutationReport = {
  files: {
    'src/size.ts': {
      source,
      mutants: [
        { id: '1', mutatorName: 'EqualityOperator', replacement: 'n <= LIMIT', status: 'Survived', coveredBy: ['t1', 't2'], location: at(4, 10, 4, 19) },
        { id: '2', mutatorName: 'BlockStatement', replacement: '{}', status: 'Killed', coveredBy: ['t1'], location: at(3, 45, 5, 2) },
        { id: '3', mutatorName: 'StringLiteral', replacement: '""', status: 'NoCoverage', location: at(8, 30, 8, 40) },
        { id: '4', mutatorName: 'ConditionalExpression', replacement: 'false', status: 'Ignored', statusReason: 'n is never negative here', location: at(8, 7, 8, 12) },
        { id: '5', mutatorName: 'StringLiteral', replacement: '""', status: 'Timeout', location: at(9, 23, 9, 30) },
      ],
    },
  },
  testFiles: { 'tests/size.test.ts': { tests: [{ id: 't1', name: 'isSmall says 9 is small' }, { id: 't2', name: 'isSmall says 11 is large' }] } },
};

describe("reading StrykerJS's JSON report", () => {
  const grade = readStrykerReport(report);

  it('places each mutant in its file, line and column, with the code it replaced and the test names that ran it', () => {
    expect(grade.mutants[0]).toMatchObject({
      file: 'src/size.ts',
      line: 4,
      column: 10,
      mutator: 'EqualityOperator',
      original: 'n < LIMIT',
      replacement: 'n <= LIMIT',
      status: 'Survived',
      coveredBy: ['isSmall says 9 is small', 'isSmall says 11 is large'],
    });
  });

  it('shows the first line of a mutant that spans several, marked as cut', () => {
    expect(grade.mutants[1]).toMatchObject({ original: '{ …', replacement: '{}' });
  });

  it('names the top-level declaration each mutant sits in, exported or not', () => {
    expect(grade.mutants.map((m) => m.declaration)).toEqual(['isSmall', 'isSmall', 'label', 'label', 'label']);
  });

  it('keeps the reason of an ignored mutant', () => {
    expect(grade.mutants[3]).toMatchObject({ status: 'Ignored', statusReason: 'n is never negative here' });
  });

  it("scores as Stryker does: killed and timed out, of all but the ignored", () => {
    expect(grade.score).toEqual({ detected: 2, valid: 4, percent: 50 });
  });
});
