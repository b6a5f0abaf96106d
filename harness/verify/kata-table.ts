import type { KataRun } from './jest-report';

export interface KataRow {
  kata: string;
  tests: number;
  solutionGreen: number;
  starterRed: number;
  /** Wrong solutions the specs caught, of those written (`solutions/<kata>/wrong/*.patch`). */
  wrongCaught?: number;
  wrongWritten?: number;
}

/** Problems that make verify fail, each naming the test or file at fault. */
export interface Finding {
  kind:
    | 'solution-test-fails'
    | 'starter-test-passes'
    | 'skipped-test'
    | 'suite-error'
    | 'kata-without-specs'
    | 'count-mismatch'
    | 'wrong-solution-survives'
    | 'wrong-solution-does-not-apply'
    | 'wrong-solution-not-run'
    | 'sweep-finding';
  where: string;
  detail?: string;
}

/**
 * Compares the two runs of the same specs: every case green on the solution,
 * every case red on the starter. A starter suite that cannot even load is a
 * finding too: starters must compile and run (house rule 6).
 */
export function compareRuns(katas: string[], solutions: KataRun, starter: KataRun): { rows: KataRow[]; findings: Finding[] } {
  const findings: Finding[] = [];
  for (const [label, run] of [['solution', solutions], ['starter', starter]] as const) {
    for (const error of run.suiteErrors) {
      findings.push({ kind: 'suite-error', where: `${label}: ${error.file}`, detail: error.message });
    }
    for (const test of run.cases.filter((c) => c.status === 'skipped')) {
      findings.push({ kind: 'skipped-test', where: `${label}: ${test.file} › ${test.name}` });
    }
  }
  for (const test of solutions.cases.filter((c) => c.status === 'failed')) {
    findings.push({ kind: 'solution-test-fails', where: `${test.file} › ${test.name}`, ...(test.failure ? { detail: test.failure } : {}) });
  }
  for (const test of starter.cases.filter((c) => c.status === 'passed')) {
    findings.push({ kind: 'starter-test-passes', where: `${test.file} › ${test.name}` });
  }

  const allKatas = [...new Set([...katas, ...solutions.cases.map((c) => c.kata), ...starter.cases.map((c) => c.kata)])];
  const rows = allKatas.map((kata) => {
    const ofKata = (run: KataRun) => run.cases.filter((c) => c.kata === kata);
    const solutionCases = ofKata(solutions);
    const starterCases = ofKata(starter);
    const row: KataRow = {
      kata,
      tests: solutionCases.length,
      solutionGreen: solutionCases.filter((c) => c.status === 'passed').length,
      starterRed: starterCases.filter((c) => c.status === 'failed').length,
    };
    if (row.tests === 0 && !solutions.suiteErrors.some((e) => e.kata === kata)) {
      findings.push({ kind: 'kata-without-specs', where: kata });
    } else if (starterCases.length !== solutionCases.length && !starter.suiteErrors.some((e) => e.kata === kata)) {
      findings.push({
        kind: 'count-mismatch',
        where: kata,
        detail: `${solutionCases.length} tests against the solution, ${starterCases.length} against the starter`,
      });
    }
    return row;
  });
  return { rows, findings };
}

/** A plain-text table; the caller colours it. */
export function formatKataTable(rows: KataRow[]): string[] {
  const header = ['kata', 'tests', 'solution green', 'starter red', 'wrong caught'];
  const cells = rows.map((r) => [
    r.kata,
    String(r.tests),
    `${r.solutionGreen}/${r.tests}`,
    `${r.starterRed}/${r.tests}`,
    r.wrongWritten === undefined ? '-' : `${r.wrongCaught ?? 0}/${r.wrongWritten}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}
