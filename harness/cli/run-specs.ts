import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { JestRunError, RunTimedOutError } from './errors';
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
  /** The name filter the run used (one step), if any. */
  testNamePattern?: string;
}

export interface SpecRequest {
  cwd: string;
  kata: KataRef;
  target?: 'katas' | 'solutions';
  env?: NodeJS.ProcessEnv;
  /** Jest's `--testNamePattern`: run only the tests whose full name matches (one step). */
  testNamePattern?: string;
  /** Spec files to run (relative to the project); default every spec file of the kata. */
  files?: string[];
  /** Kill the run after this long (it is then a {@link RunTimedOutError}); default none. */
  timeLimitMs?: number;
}

/** Runs one kata's specs; injectable so watch and dojo tests can count runs. */
export type SpecRunner = (request: SpecRequest) => Promise<SpecRun>;

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
export const runSpecs: SpecRunner = async ({ cwd, kata, target = 'katas', env = {}, testNamePattern, timeLimitMs, files = specFiles(cwd, kata) }) => {
  const started = performance.now();
  const outputFile = path.join(os.tmpdir(), `kata-run-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const filter = testNamePattern ? ['--testNamePattern', testNamePattern] : [];
  const args = [jestBin(cwd), '--ci', '--json', '--outputFile', outputFile, ...filter, '--runTestsByPath', ...files];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', KATA_QUIET: '1', ...env, KATA_TARGET: target },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a time limit ends Jest and whatever it started.
      detached: true,
    });
    let text = '';
    const limit = timeLimitMs
      ? setTimeout(() => {
          killGroup(child.pid);
          reject(new RunTimedOutError(kata.id, timeLimitMs, undefined));
        }, timeLimitMs)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(limit);
      resolve(text);
    });
  });
  let report: JestJson;
  try {
    report = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
  } catch {
    throw new JestRunError(kata.id, output || 'no output');
  } finally {
    fs.rmSync(outputFile, { force: true });
  }
  const suites = report.testResults.map((suite) => ({
    testFilePath: suite.name,
    failureMessage: suite.message || null,
    testExecError: null,
    testResults: suite.assertionResults,
  }));
  const run = toSpecRun(cwd, kata.id, target, suites, testNamePattern);
  run.elapsedMs = Math.round(performance.now() - started);
  return run;
};

/** Ends a detached child and every process it started (its process group). */
/** Ends a process started with `detached: true` and everything it started (its process group). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** What jest-daemon.cjs sends back: Jest's AggregatedResult, trimmed. */
interface DaemonSuite {
  testFilePath: string;
  failureMessage: string | null;
  testExecError: { message: string } | null;
  testResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
}

type DaemonMessage =
  | { id: number; case: { name: string; status: string } }
  | { id: number; started: { name: string; file: string } }
  | { id: number; results: { testResults: DaemonSuite[] } }
  | { id: number; error: string };

export interface SpecDaemon {
  run: SpecRunner;
  /** Ends the warm Jest now, mid-run if need be (what `q` does). */
  kill(): void;
  close(): Promise<void>;
}

/**
 * Forks one warm Jest (jest-daemon.cjs) for the learner's code; `run` is a
 * {@link SpecRunner}. `onCase` hears each test's result as soon as it is known.
 * Solution runs go through {@link runSpecs}: the resolver reads KATA_TARGET
 * per process, so one warm process serves one target.
 *
 * The time limit is a watchdog: a run that goes `timeLimitMs` without news
 * (no spec file or test starting or finishing: an infinite loop in the learner's
 * code blocks the daemon's only thread; a request nobody answers blocks a test)
 * kills the daemon and everything it started, and rejects with
 * {@link RunTimedOutError} naming the spec it was on; the next run forks a
 * fresh daemon. A fresh daemon gets three times the limit until its first test
 * finishes: it compiles the specs and starts the databases first. Jest's own
 * per-test timeout is set past the limit so the watchdog, which names the
 * spec, speaks first.
 *
 * @example
 *   const daemon = startSpecDaemon(cwd);
 *   const run = await daemon.run({ cwd, kata, timeLimitMs: 20_000 });
 *   await daemon.close();
 */
export function startSpecDaemon(cwd: string, onCase?: (test: { name: string; status: string }) => void, env: NodeJS.ProcessEnv = {}): SpecDaemon {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (suites: DaemonSuite[]) => void; reject: (error: Error) => void; kata: string; on?: string; child?: ChildProcess; news?: () => void }>();
  /** Daemons that have finished a test: warm, so the plain limit applies. */
  const warm = new WeakSet<ChildProcess>();

  const ensureChild = () => {
    if (child && child.connected) return child;
    const forked = fork(path.join(__dirname, 'jest-daemon.cjs'), [], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', KATA_QUIET: '1', ...env, KATA_TARGET: 'katas' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: true,
    });
    let stderr = '';
    forked.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    forked.on('message', (message: DaemonMessage) => {
      const waiter = pending.get(message.id);
      if ('case' in message) warm.add(forked);
      waiter?.news?.();
      if ('case' in message) return onCase?.(message.case);
      if (!waiter) return;
      if ('started' in message) {
        waiter.on = message.started.name ? `${message.started.file} › ${message.started.name}` : message.started.file;
        return;
      }
      pending.delete(message.id);
      if ('error' in message) waiter.reject(new JestRunError(waiter.kata, message.error));
      else waiter.resolve(message.results.testResults);
    });
    forked.on('exit', () => {
      for (const [id, waiter] of pending) {
        // A run sent to the next daemon (after a kill) is not this one's to fail.
        if (waiter.child !== forked) continue;
        pending.delete(id);
        waiter.reject(new JestRunError(waiter.kata, stderr || 'the Jest process exited'));
      }
      if (child === forked) child = undefined;
    });
    child = forked;
    return forked;
  };

  const kill = () => {
    const current = child;
    child = undefined;
    if (current && current.exitCode === null) killGroup(current.pid);
  };

  const run: SpecRunner = async (request) => {
    const { cwd: projectCwd, kata, target = 'katas', testNamePattern, timeLimitMs, files = specFiles(cwd, kata) } = request;
    if (target !== 'katas' || projectCwd !== cwd) return runSpecs(request);
    const started = performance.now();
    const id = nextId++;
    const suites = await new Promise<DaemonSuite[]>((resolve, reject) => {
      const daemon = ensureChild();
      let limit: NodeJS.Timeout | undefined;
      const arm = () => {
        if (!timeLimitMs) return;
        clearTimeout(limit);
        const ms = warm.has(daemon) ? timeLimitMs : timeLimitMs * 3;
        limit = setTimeout(() => {
          const waiter = pending.get(id);
          pending.delete(id);
          kill();
          reject(new RunTimedOutError(kata.id, ms, waiter?.on));
        }, ms);
      };
      const settle = <T>(fn: (value: T) => void) => (value: T) => {
        clearTimeout(limit);
        fn(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject), kata: kata.id, child: daemon, news: arm });
      arm();
      daemon.send({ id, files, testNamePattern, ...(timeLimitMs ? { testTimeout: timeLimitMs + 5_000 } : {}) });
    });
    const specRun = toSpecRun(cwd, kata.id, 'katas', suites, testNamePattern);
    specRun.elapsedMs = Math.round(performance.now() - started);
    return specRun;
  };

  return {
    run,
    kill,
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

/**
 * Jest's per-file results as a {@link SpecRun}. With a name filter, the tests
 * it left out are not part of the run (Jest reports them as skipped).
 */
function toSpecRun(cwd: string, kata: string, target: 'katas' | 'solutions', suites: DaemonSuite[], testNamePattern?: string): SpecRun {
  const selected = testNamePattern ? new RegExp(testNamePattern, 'i') : undefined;
  const run: SpecRun = { kata, target, tests: [], suiteErrors: [], passed: 0, total: 0, elapsedMs: 0, ...(testNamePattern ? { testNamePattern } : {}) };
  for (const suite of suites) {
    const file = path.relative(cwd, suite.testFilePath).split(path.sep).join('/');
    if (suite.testResults.length === 0 && (suite.testExecError || suite.failureMessage)) {
      run.suiteErrors.push({ file, message: stripVTControlCharacters(suite.testExecError?.message || suite.failureMessage || '').trim() });
      continue;
    }
    for (const test of suite.testResults) {
      if (selected && !selected.test(test.fullName)) continue;
      const status: SpecStatus = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      const failure = test.failureMessages.length > 0 ? stripVTControlCharacters(test.failureMessages.join('\n')).trim() : undefined;
      run.tests.push({ file, name: test.fullName, status, ...(failure ? { failure } : {}) });
    }
  }
  run.passed = run.tests.filter((t) => t.status === 'passed').length;
  run.total = run.tests.length;
  return run;
}
