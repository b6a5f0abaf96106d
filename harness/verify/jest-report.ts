import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/** The part of Jest's `--json` output that verify reads. */
interface JestJson {
  testResults: Array<{
    name: string;
    status: 'passed' | 'failed';
    message: string;
    assertionResults: Array<{
      fullName: string;
      status: 'passed' | 'failed' | 'pending' | 'todo' | 'skipped' | 'disabled';
      failureMessages?: string[];
    }>;
  }>;
}

export interface TestCaseOutcome {
  kata: string;
  file: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** A failed case's first lines of Jest's message: what CI's log shows of why. */
  failure?: string;
}

export interface SuiteError {
  kata: string;
  file: string;
  message: string;
}

export interface KataRun {
  cases: TestCaseOutcome[];
  /** Spec files that failed before any test ran (syntax, imports, hooks). */
  suiteErrors: SuiteError[];
}

/** `katas/auth/jwt/login.spec.ts` → `auth/jwt`. */
export function kataOf(file: string, rootDir: string): string {
  const relative = path.relative(path.join(rootDir, 'katas'), file).split(path.sep);
  return relative.length >= 3 ? `${relative[0]}/${relative[1]}` : relative.slice(0, -1).join('/') || '(root)';
}

export function readJestReport(jsonFile: string, rootDir: string): KataRun {
  const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as JestJson;
  const run: KataRun = { cases: [], suiteErrors: [] };
  for (const suite of report.testResults) {
    const kata = kataOf(suite.name, rootDir);
    const file = path.relative(rootDir, suite.name);
    if (suite.assertionResults.length === 0 && suite.status === 'failed') {
      run.suiteErrors.push({ kata, file, message: firstLines(suite.message, 12) });
      continue;
    }
    for (const test of suite.assertionResults) {
      const status = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      const failure = status === 'failed' && test.failureMessages?.length ? firstLines(test.failureMessages.join('\n'), FAILURE_LINES) : undefined;
      run.cases.push({ kata, file, name: test.fullName, status, ...(failure ? { failure } : {}) });
    }
  }
  return run;
}

/** Enough for an assertion's expected and received, or a grader's verdict with the first test it names; short enough for 18 failures in one log. */
const FAILURE_LINES = 20;

function firstLines(text: string, count: number): string {
  // Jest's messages carry ANSI codes even without a TTY in some paths.
  return stripVTControlCharacters(text).split('\n').slice(0, count).join('\n');
}
