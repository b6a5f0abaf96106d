import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { JestRunError } from './errors';
import { specFiles, type KataRef } from './project';

export type SpecStatus = 'passed' | 'failed' | 'skipped';

export interface SpecOutcome {
  /** Spec file relative to the project. */
  file: string;
  /** `describe … it` joined, as Jest's fullName. */
  name: string;
  status: SpecStatus;
  /** Jest's failure message without colour codes, for failed tests. */
  failure?: string;
}

export interface SpecRun {
  kata: string;
  target: 'katas' | 'solutions';
  tests: SpecOutcome[];
  /** Spec files that failed before any test ran (syntax, imports, hooks). */
  suiteErrors: Array<{ file: string; message: string }>;
  passed: number;
  total: number;
  elapsedMs: number;
}

/** Runs one kata's specs; injectable so watch and dojo tests can count runs. */
export type SpecRunner = (request: { cwd: string; kata: KataRef; target?: 'katas' | 'solutions'; env?: NodeJS.ProcessEnv }) => Promise<SpecRun>;

interface JestJson {
  testResults: Array<{
    name: string;
    message: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

function jestBin(cwd: string): string {
  return require.resolve('jest/bin/jest', { paths: [cwd, __dirname] });
}

/**
 * Runs the kata's spec files in a Jest child process (the project's own
 * config, so the progress reporter records the run) and reads Jest's JSON.
 * `target: 'solutions'` runs the same specs against the reference solution.
 */
export const runSpecs: SpecRunner = async ({ cwd, kata, target = 'katas', env = {} }) => {
  const started = performance.now();
  const files = specFiles(cwd, kata);
  const outputFile = path.join(os.tmpdir(), `kata-run-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const args = [jestBin(cwd), '--ci', '--json', '--outputFile', outputFile, '--runTestsByPath', ...files];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', KATA_QUIET: '1', ...env, KATA_TARGET: target },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  let report: JestJson;
  try {
    report = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
  } catch {
    throw new JestRunError(kata.id, output || 'no output');
  } finally {
    fs.rmSync(outputFile, { force: true });
  }
  const run: SpecRun = { kata: kata.id, target, tests: [], suiteErrors: [], passed: 0, total: 0, elapsedMs: 0 };
  for (const suite of report.testResults) {
    const file = path.relative(cwd, suite.name).split(path.sep).join('/');
    if (suite.assertionResults.length === 0 && suite.message) {
      run.suiteErrors.push({ file, message: stripVTControlCharacters(suite.message).trim() });
      continue;
    }
    for (const test of suite.assertionResults) {
      const status: SpecStatus = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      const failure = test.failureMessages.length > 0 ? stripVTControlCharacters(test.failureMessages.join('\n')).trim() : undefined;
      run.tests.push({ file, name: test.fullName, status, ...(failure ? { failure } : {}) });
    }
  }
  run.passed = run.tests.filter((t) => t.status === 'passed').length;
  run.total = run.tests.length;
  run.elapsedMs = Math.round(performance.now() - started);
  return run;
};

/** What jest-daemon.cjs sends back: Jest's AggregatedResult, trimmed. */
interface DaemonSuite {
  testFilePath: string;
  failureMessage: string | null;
  testExecError: { message: string } | null;
  testResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
}

type DaemonMessage =
  | { id: number; case: { name: string; status: string } }
  | { id: number; results: { testResults: DaemonSuite[] } }
  | { id: number; error: string };

export interface SpecDaemon {
  run: SpecRunner;
  close(): Promise<void>;
}

/**
 * Forks one warm Jest (jest-daemon.cjs) for the learner's code; `run` is a
 * {@link SpecRunner}. `onCase` hears each test's result as soon as it is known.
 * Solution runs go through {@link runSpecs}: the resolver reads KATA_TARGET
 * per process, so one warm process serves one target.
 *
 * @example
 *   const daemon = startSpecDaemon(cwd);
 *   const run = await daemon.run({ cwd, kata });
 *   await daemon.close();
 */
export function startSpecDaemon(cwd: string, onCase?: (test: { name: string; status: string }) => void): SpecDaemon {
  let child: import('node:child_process').ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (suites: DaemonSuite[]) => void; reject: (error: Error) => void; kata: string }>();

  const ensureChild = () => {
    if (child && child.connected) return child;
    const forked = fork(path.join(__dirname, 'jest-daemon.cjs'), [], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', KATA_QUIET: '1', KATA_TARGET: 'katas' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    forked.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    forked.on('message', (message: DaemonMessage) => {
      if ('case' in message) return onCase?.(message.case);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if ('error' in message) waiter.reject(new JestRunError(waiter.kata, message.error));
      else waiter.resolve(message.results.testResults);
    });
    forked.on('exit', () => {
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new JestRunError(waiter.kata, stderr || 'the Jest process exited'));
      }
      if (child === forked) child = undefined;
    });
    child = forked;
    return forked;
  };

  const run: SpecRunner = async ({ cwd: projectCwd, kata, target = 'katas', env }) => {
    if (target !== 'katas' || projectCwd !== cwd) return runSpecs({ cwd: projectCwd, kata, target, env });
    const started = performance.now();
    const id = nextId++;
    const files = specFiles(cwd, kata);
    const suites = await new Promise<DaemonSuite[]>((resolve, reject) => {
      pending.set(id, { resolve, reject, kata: kata.id });
      ensureChild().send({ id, files });
    });
    const specRun = toSpecRun(cwd, kata.id, 'katas', suites);
    specRun.elapsedMs = Math.round(performance.now() - started);
    return specRun;
  };

  return {
    run,
    close: () =>
      new Promise<void>((resolve) => {
        const current = child;
        child = undefined;
        if (!current || current.exitCode !== null) return resolve();
        current.once('exit', () => resolve());
        current.disconnect();
      }),
  };
}

function toSpecRun(cwd: string, kata: string, target: 'katas' | 'solutions', suites: DaemonSuite[]): SpecRun {
  const run: SpecRun = { kata, target, tests: [], suiteErrors: [], passed: 0, total: 0, elapsedMs: 0 };
  for (const suite of suites) {
    const file = path.relative(cwd, suite.testFilePath).split(path.sep).join('/');
    if (suite.testResults.length === 0 && (suite.testExecError || suite.failureMessage)) {
      run.suiteErrors.push({ file, message: stripVTControlCharacters(suite.testExecError?.message || suite.failureMessage || '').trim() });
      continue;
    }
    for (const test of suite.testResults) {
      const status: SpecStatus = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      const failure = test.failureMessages.length > 0 ? stripVTControlCharacters(test.failureMessages.join('\n')).trim() : undefined;
      run.tests.push({ file, name: test.fullName, status, ...(failure ? { failure } : {}) });
    }
  }
  run.passed = run.tests.filter((t) => t.status === 'passed').length;
  run.total = run.tests.length;
  return run;
}
