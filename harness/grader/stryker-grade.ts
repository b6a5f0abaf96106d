import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { killGroup } from '../cli/run-specs';
import { projectRoot } from '../config';
import { GraderRunError } from './run-suites';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { strykerOptions } = require('./stryker-options.cjs') as { strykerOptions: (where: Record<string, unknown>) => Record<string, unknown> };

/** One mutant StrykerJS made of the kata's src/, as its JSON report (mutation-testing-report-schema) tells it. */
export interface StrykerMutant {
  id: string;
  /** Relative to the project: `katas/testing/unit-tests/src/pricing.ts`. */
  file: string;
  /** 1-based, as editors count. */
  line: number;
  column: number;
  /** Stryker's mutator: `EqualityOperator`, `StringLiteral`, `ConditionalExpression`… */
  mutator: string;
  /** The code the mutant replaced (its first line when longer). */
  original: string;
  /** What Stryker put in its place (its first line when longer). */
  replacement: string;
  status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
  /** Why Stryker left it out (the reason of a `// Stryker disable` comment), or why it was killed. */
  statusReason: string | null;
  /** The full names of the tests that ran the mutated code. */
  coveredBy: string[];
  /** The top-level declaration the mutant sits in (`quoteCart`, `PricingError`…). */
  declaration: string;
}

export interface StrykerGradeOptions {
  /** `katas/testing/<kata>`: its tests/ is where the test files are imagined to live. */
  kataDir: string;
  /** The test files to grade (`**\/*.test.ts`): the learner's, or the reference tests. */
  testsDir: string;
  /** The files Stryker mutates, relative to the project. */
  mutate: string[];
  /** Stop StrykerJS after this long. */
  timeoutMs?: number;
}

/** The learner's tests, graded by StrykerJS. */
export interface StrykerGrade {
  /** Stryker's initial run: every test passes on the real src/ (null) or what went wrong. */
  initialRunProblem: string | null;
  mutants: StrykerMutant[];
  /** Stryker's mutation score: killed or timed out, of all mutants that are not ignored or errors. */
  score: { detected: number; valid: number; percent: number };
}

// Each test is milliseconds; the budget goes to Jest runs, one per mutant and test file.
const strykerBin = path.join(projectRoot, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const detected = new Set(['Killed', 'Timeout']);
const invalid = new Set(['Ignored', 'CompileError', 'RuntimeError', 'Pending']);

/**
 * Runs StrykerJS on the files `mutate` names (relative to the project) with the
 * test files in `testsDir` (which import them as if they sat in the kata's
 * tests/), with the fixed options of stryker-options.cjs, and reads its JSON report.
 * Works in a scratch folder under the system's temporary folder that mirrors the
 * project (those files and the tests copied, the Jest setup and node_modules
 * linked), so Stryker mutates the copy in place and nothing is written in the
 * work tree; the folder is removed afterwards.
 *
 * @example
 *   const grade = await gradeWithStryker({ kataDir, testsDir: path.join(kataDir, 'tests'), mutate: ['katas/testing/unit-tests/src/pricing.ts'] });
 *   grade.mutants.filter((m) => m.status === 'Survived'); // what the tests let through
 */
export async function gradeWithStryker({ kataDir, testsDir, mutate, timeoutMs = 540_000 }: StrykerGradeOptions): Promise<StrykerGrade> {
  const kata = path.relative(projectRoot, kataDir).split(path.sep).join('/');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-stryker-'));
  try {
    for (const file of mutate) fs.cpSync(path.join(projectRoot, file), path.join(scratch, file));
    fs.cpSync(testsDir, path.join(scratch, kata, 'tests'), { recursive: true, filter: (source) => fs.statSync(source).isDirectory() || source.endsWith('.test.ts') });
    for (const linked of ['node_modules', 'harness', 'jest.config.ts']) fs.symlinkSync(path.join(projectRoot, linked), path.join(scratch, linked));
    const reportFile = path.join(scratch, 'report.json');
    const options = strykerOptions({ kata, mutate, tempDir: path.join(scratch, '.stryker-tmp'), reports: { json: reportFile }, inPlace: true });
    fs.writeFileSync(path.join(scratch, 'stryker.config.json'), JSON.stringify(options, null, 2));
    const output = await runStryker(scratch, timeoutMs);
    if (!fs.existsSync(reportFile)) return { initialRunProblem: initialRunProblem(output), mutants: [], score: { detected: 0, valid: 0, percent: 0 } };
    return readStrykerReport(JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MutationReport);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Stryker exits non-zero below its break threshold too; only a missing report means it
 * could not grade. Its own process group, so that a time limit also ends the test
 * runner processes Stryker started.
 */
function runStryker(cwd: string, timeout: number): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  // Stryker's Jest runs are their own; the outer Jest worker's identity must not leak into them.
  delete env.JEST_WORKER_ID;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [strykerBin, 'run', 'stryker.config.json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-64_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const limit = setTimeout(() => {
      killGroup(child.pid);
      reject(new GraderRunError(`StrykerJS took longer than ${timeout / 1000} s and was stopped.`));
    }, timeout);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(limit);
      resolve(output);
    });
  });
}

/** What Stryker said when it could not start mutating: its ERROR lines and the test failures after them. */
function initialRunProblem(output: string): string {
  const lines = stripVTControlCharacters(output).split('\n');
  const first = lines.findIndex((line) => / ERROR /.test(line));
  if (first < 0) return lines.slice(-15).join('\n').trim();
  return lines
    .slice(first, first + 40)
    .filter((line) => !/^\s+at /.test(line) && !/^(file:\/\/|Node\.js v|\s*\^)/.test(line))
    .map((line) => line.replace(/^\d\d:\d\d:\d\d \(\d+\) /, ''))
    .join('\n')
    .trim();
}

/** The parts of a mutation-testing-report-schema report the grader reads. */
export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
  testFiles?: Record<string, { tests: { id: string; name: string }[] }>;
}

interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: StrykerMutant['status'];
  statusReason?: string;
  coveredBy?: string[];
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** A Stryker JSON report as the grader's verdicts need it: each mutant placed, named and explained, and the score. */
export function readStrykerReport(report: MutationReport): StrykerGrade {
  const testNames = new Map(Object.values(report.testFiles ?? {}).flatMap((file) => file.tests.map((test) => [test.id, test.name] as const)));
  const mutants = Object.entries(report.files).flatMap(([file, { source, mutants: fileMutants }]) => {
    const lines = source.split('\n');
    const declarations = topLevelDeclarations(lines);
    return fileMutants.map(
      (m): StrykerMutant => ({
        id: m.id,
        file: file.split(path.sep).join('/'),
        line: m.location.start.line,
        column: m.location.start.column,
        mutator: m.mutatorName,
        original: firstLine(textAt(lines, m.location)),
        replacement: firstLine(m.replacement ?? ''),
        status: m.status,
        statusReason: m.statusReason ?? null,
        coveredBy: (m.coveredBy ?? []).map((id) => testNames.get(id) ?? id),
        declaration: declarations.findLast((d) => d.line <= m.location.start.line)?.name ?? '(module)',
      }),
    );
  });
  const valid = mutants.filter((m) => !invalid.has(m.status));
  const detectedCount = valid.filter((m) => detected.has(m.status)).length;
  return {
    initialRunProblem: null,
    mutants,
    score: { detected: detectedCount, valid: valid.length, percent: valid.length === 0 ? 0 : (100 * detectedCount) / valid.length },
  };
}

/** `export function quoteCart(`, `class PricingError`, `const MAX = …` at the start of a line: where each top-level declaration begins. */
function topLevelDeclarations(lines: string[]): { line: number; name: string }[] {
  return lines.flatMap((text, index) => {
    const match = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type)\s+([A-Za-z_$][\w$]*)/.exec(text);
    return match ? [{ line: index + 1, name: match[1]! }] : [];
  });
}

/** The source between two report positions (1-based lines and columns). */
function textAt(lines: string[], { start, end }: ReportMutant['location']): string {
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  return [(lines[start.line - 1] ?? '').slice(start.column - 1), ...middle, (lines[end.line - 1] ?? '').slice(0, end.column - 1)].join('\n');
}

function firstLine(text: string): string {
  const [head = '', ...rest] = text.trim().split('\n');
  const line = head.trim();
  const short = line.length > 70 ? `${line.slice(0, 67)}...` : line;
  return rest.length > 0 ? `${short} …` : short;
}
