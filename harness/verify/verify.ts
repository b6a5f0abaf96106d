import fs from 'node:fs';
import path from 'node:path';
import { kataIds } from '../catalog';
import { readJestReport, type KataRun } from './jest-report';
import { compareRuns, type Finding, type KataRow } from './kata-table';
import { childCpuSeconds } from './child-cpu';
import { runCommand, type CommandResult } from './run-command';
import { readSweepReports } from '../sweep/reports';
import { readSlowBrowserCalls, slowCallsLogVariable } from '../grader/slow-calls-log';
import { findWrongSolutions, runWrongSolutions, scoreByKata, type WrongOutcome } from './wrong-solutions';

export interface StepResult {
  name: string;
  command: string;
  ok: boolean;
  elapsedMs: number;
  /** The command's output, kept for steps that failed. */
  output?: string;
  /** CPU seconds its processes used (sampled from /proc, see child-cpu.ts); absent off Linux. */
  cpuSeconds?: number;
}

export interface VerifyResult {
  steps: StepResult[];
  rows: KataRow[];
  findings: Finding[];
  ok: boolean;
  elapsedMs: number;
  /** CPU seconds of every step together; absent off Linux. */
  cpuSeconds?: number;
  /** The gradings' browser starts and page calls slower than slowBrowserCallMs() or never answered: a note, not a failure. */
  slowBrowserCalls: string[];
}

function wrongFinding(outcome: WrongOutcome): Finding {
  const kind = outcome.status === 'survived' ? 'wrong-solution-survives' : outcome.status === 'does-not-apply' ? 'wrong-solution-does-not-apply' : 'wrong-solution-not-run';
  return { kind, where: outcome.file, detail: `${outcome.description}\n→ ${outcome.detail}` };
}

/** 340 patches take about 3 minutes on an idle 2-core machine; past this the run is hung. */
const WRONG_SOLUTIONS_TIMEOUT_MS = 15 * 60_000;

/**
 * The starter run only has to show red: the events its specs wait for never come,
 * so waiting 10 s for each would spend minutes on nothing. A shorter safety net
 * cannot turn a red spec green. The solution run keeps the default.
 */
const STARTER_RUN_ENV = { KATA_EVENT_TIMEOUT_MS: '1500' };

/**
 * A net for a hang, not a budget: the longest step (the specs against the solutions,
 * with three browser engines and StrykerJS among them) takes about four minutes on an
 * idle 2-core machine and several times that on a loaded one.
 */
const STEP_TIMEOUT_MS = 15 * 60_000;

/** Jest's words when a spec left a server, socket or timer open. */
const LEAK_WARNING = /Jest did not exit one second after the test run has completed|Jest has detected the following \d+ open handle/;
/**
 * Jest says it did not exit one second after its run, but on a loaded machine its workers
 * (each closing servers, Redis and browser processes) can take longer than that to end, and
 * the process then exits by itself. A leak is a process still running well after: this long.
 */
const LEAK_GRACE_MS = 20_000;

const bin = (cwd: string, name: string) => path.join(cwd, 'node_modules', '.bin', name);

/**
 * The author check that CI runs: typecheck, lint, the harness's own tests,
 * every spec green against the solutions, every spec case red against the
 * untouched starter, and the embedded MongoDB engine's short benchmark.
 * Steps all run even after a failure, so one run shows every problem.
 */
export async function verify(options: { cwd: string; onStep?: (name: string) => void }): Promise<VerifyResult> {
  const { cwd } = options;
  const started = performance.now();
  const cpuAtStart = childCpuSeconds();
  const steps: StepResult[] = [];
  const reportDir = path.join(cwd, '.kata', 'verify');
  fs.mkdirSync(reportDir, { recursive: true });
  const slowCallsLog = path.join(reportDir, 'slow-browser-calls.log');
  fs.rmSync(slowCallsLog, { force: true });

  /** Runs one step's command and judges it, without recording it (see step() and sideBySide()). */
  async function run(name: string, command: string, args: string[], env?: NodeJS.ProcessEnv, judge?: (r: CommandResult) => boolean) {
    options.onStep?.(name);
    const result = await runCommand(command, args, { cwd, env, timeoutMs: STEP_TIMEOUT_MS, watchFor: LEAK_WARNING });
    const leaked = result.seenAtMs !== undefined && result.elapsedMs - result.seenAtMs > LEAK_GRACE_MS;
    const ok = !leaked && (judge ? judge(result) : result.exitCode === 0);
    const record: StepResult = {
      name,
      command: [path.basename(command), ...args].join(' '),
      ok,
      elapsedMs: result.elapsedMs,
      cpuSeconds: result.cpuSeconds,
      output: ok ? undefined : leaked ? `${result.output}\n[verify] Jest reported a handle left open and ran ${LEAK_GRACE_MS / 1000} s more: run this step with --detectOpenHandles.` : result.output,
    };
    return { record, result };
  }

  async function step(...args: Parameters<typeof run>) {
    const { record, result } = await run(...args);
    steps.push(record);
    return result;
  }

  /** Steps that share nothing, run at the same time and recorded in the order given. */
  async function sideBySide(...runs: Promise<{ record: StepResult } | { records: StepResult[] }>[]) {
    steps.push(...(await Promise.all(runs)).flatMap((done) => ('record' in done ? [done.record] : done.records)));
  }

  // The static checks are one process each (tsc, eslint) while the harness's tests often wait on
  // servers, sockets and browsers: side by side the group took 106 s on a fresh clone, against
  // 117 s one after another.
  await sideBySide(
    run('typecheck', bin(cwd, 'tsc'), ['--noEmit', '-p', '.']),
    // k6 scripts run in k6's runtime, not Node: checked against @types/k6 alone.
    run('typecheck k6 scripts', bin(cwd, 'tsc'), ['-p', 'perf/k6']),
    run('lint', bin(cwd, 'eslint'), ['.', '--max-warnings=0']),
    // `kata reset` restores starters by the blob ids in this manifest: a stale one would restore old code.
    run('starter manifest up to date', bin(cwd, 'tsx'), ['harness/cli/write-starter-manifest.ts', '--check']),
    // Jest matches patterns against absolute paths: `perf/.*\.test\.ts$` picks perf's tests without every spec of a clone whose path holds "perf".
    run('harness, lib and perf tests', bin(cwd, 'jest'), ['--ci', 'harness', 'lib', 'perf/.*\\.test\\.ts$']),
  );

  // KATA_PROGRESS=off: the author's check must not rewrite the learner's progress (.kata/progress.json).
  // Two Jest runs side by side: the testing katas' grade specs, and every other spec. A grade spec
  // spends its time waiting on its own Jest child (and browsers); in one run with two workers, two
  // of them held both workers while the machine stood half idle (a fresh clone's solution run took
  // 347 s on 393 CPU-s).
  const jestRun = async (target: 'solutions' | 'katas'): Promise<{ kataRun: KataRun; records: StepResult[] }> => {
    const name = target === 'solutions' ? 'specs against solutions' : 'specs against starter';
    const env = { KATA_TARGET: target, KATA_PROGRESS: 'off', [slowCallsLogVariable]: slowCallsLog, ...(target === 'katas' ? STARTER_RUN_ENV : {}) };
    const parts = [
      { label: '(testing katas)', file: `${target}.testing.json`, args: ['katas/testing'] },
      { label: '(other katas)', file: `${target}.json`, args: ['katas', '--testPathIgnorePatterns', '/katas/testing/'] },
    ].map((part) => ({ ...part, outputFile: path.join(reportDir, part.file) }));
    for (const { outputFile } of parts) fs.rmSync(outputFile, { force: true });
    const done = await Promise.all(
      parts.map(({ label, outputFile, args }) =>
        run(`${name} ${label}`, bin(cwd, 'jest'), ['--ci', ...args, '--json', `--outputFile=${outputFile}`], env, () =>
          // Judged by the table below: the starter run is meant to fail.
          fs.existsSync(outputFile),
        ),
      ),
    );
    const reports = parts.map(({ outputFile }) => (fs.existsSync(outputFile) ? readJestReport(outputFile, cwd) : { cases: [], suiteErrors: [] }));
    return { kataRun: { cases: reports.flatMap((r) => r.cases), suiteErrors: reports.flatMap((r) => r.suiteErrors) }, records: done.map(({ record }) => record) };
  };

  // One after the other: both grade the testing katas, whose gradings share files (StrykerJS's score).
  const solutionRun = jestRun('solutions');
  await sideBySide(solutionRun);
  const solutions = (await solutionRun).kataRun;
  // The starter run and the wrong solutions side by side: neither holds a check a slow machine
  // could pass (a starter spec must fail, a wrong solution must fail a test), and each alone left
  // part of the machine idle.
  const starterRun = jestRun('katas');
  const wrongRun = wrongSolutionsStep();
  // The sweep once the starter run is done, while the wrong solutions still run: they took a
  // minute longer than the starters, on about one and a half cores (a fresh clone: 223 s against
  // 145 s), and the sweep, which times nothing, filled the other half after them.
  const sweepRun = starterRun.then(() => sweepStep());
  await sideBySide(starterRun, wrongRun, sweepRun);
  const starter = (await starterRun).kataRun;
  const wrong = (await wrongRun).outcomes;
  const sweepFindings = (await sweepRun).findings;

  /** Every kata's wrong solutions, applied and run in one Jest process (see wrong-solutions.ts). */
  async function wrongSolutionsStep(): Promise<{ record: StepResult; outcomes: WrongOutcome[] }> {
    const name = 'wrong solutions caught';
    options.onStep?.(name);
    const wrongs = findWrongSolutions(cwd, kataIds());
    const run = await runWrongSolutions(cwd, wrongs, { timeoutMs: WRONG_SOLUTIONS_TIMEOUT_MS });
    const perPatch = wrongs.length > 0 ? ` (${(run.elapsedMs / wrongs.length / 1000).toFixed(2)} s per patch)` : '';
    const byCatcher = run.outcomes.filter((o) => o.byCatcher).length;
    const record: StepResult = {
      name,
      command: `npm run wrong: ${wrongs.length} patches${perPatch}, ${byCatcher} by their recorded catcher`,
      // Survivors are findings, named below; the step fails only when Jest could not report.
      ok: run.jestOutput === undefined,
      elapsedMs: run.elapsedMs,
      cpuSeconds: run.cpuSeconds,
      output: run.jestOutput,
    };
    return { record, outcomes: run.outcomes };
  }

  /**
   * The bad-input sweep (harness/sweep/): every route of every reference
   * solution, in production mode, gets hostile input. A kata whose solution has
   * an app but no sweep target is a finding too, so none is skipped silently.
   */
  async function sweepStep(): Promise<{ record: StepResult; findings: Finding[] }> {
    const reportDir = path.join(cwd, '.kata', 'verify', 'sweep');
    fs.rmSync(reportDir, { recursive: true, force: true });
    const { record, result } = await run(
      'bad-input sweep',
      bin(cwd, 'jest'),
      ['--ci', '--testMatch', '<rootDir>/harness/sweep/targets/*.sweep.ts'],
      { NODE_ENV: 'production', KATA_TARGET: 'solutions', KATA_QUIET: '1' },
      // Judged by the reports below; the step fails only when a target could not report.
      () => true,
    );
    const { reports, findings } = readSweepReports(cwd, kataIds());
    record.command = `jest harness/sweep/targets: ${reports.reduce((n, r) => n + r.requests, 0)} requests to ${reports.length} katas, ${findings.length} finding(s)`;
    const missing = findings.some((f) => f.includes(': no report from its sweep target'));
    if (missing) {
      record.ok = false;
      record.output = result.output;
    }
    return { record, findings: findings.map((f) => ({ kind: 'sweep-finding' as const, where: f.split(': ')[0] ?? f, detail: f.split(': ').slice(1).join(': ') })) };
  }

  await step('mongo engine benchmark (short)', bin(cwd, 'tsx'), ['harness/mongo/bench.ts', '--short']);
  // Proves the perf runner still boots and loads the app; figures are printed, not judged.
  await step('perf: cache-aside (short)', bin(cwd, 'tsx'), ['perf/run.ts', 'cache-aside', '--short', '--target', 'solutions']);
  // Push against polling; unlike cache-aside it holds floors (push p95 ≥ 10× below 1 s polling, nothing lost or duplicated).
  await step('perf: realtime (short)', bin(cwd, 'tsx'), ['perf/run.ts', 'realtime', '--short']);

  const { rows, findings } = compareRuns(kataIds(), solutions, starter);
  const scores = scoreByKata(wrong);
  for (const row of rows) {
    const score = scores.get(row.kata);
    row.wrongCaught = score?.caught ?? 0;
    row.wrongWritten = score?.written ?? 0;
  }
  findings.push(...wrong.filter((o) => o.status !== 'caught').map(wrongFinding), ...sweepFindings);
  return {
    steps,
    rows,
    findings,
    ok: steps.every((s) => s.ok) && findings.length === 0,
    elapsedMs: Math.round(performance.now() - started),
    cpuSeconds: cpuAtStart === undefined ? undefined : (childCpuSeconds() ?? cpuAtStart) - cpuAtStart,
    slowBrowserCalls: readSlowBrowserCalls(slowCallsLog),
  };
}
