import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jestConfig from '../../jest.config';
import { catcherSpec, readCatchers, type Catcher, type Catchers } from './catchers';
import { runCommand } from './run-command';
import { groupOptions, planGroups, type WrongGroup } from './wrong-groups';

/**
 * Wrong solutions: `solutions/<phase>/<kata>/wrong/<name>.patch`, each a `git diff`
 * of the kata's reference solution with one behaviour broken, preceded by lines
 * that say in words what it breaks. Each is applied to a copy of the solution
 * and the kata's specs run against the copy; at least one test must fail.
 *
 * They run in one Jest process (two, see runWrongSolutions): one Jest *project* per patch, whose
 * rootDir is the patch's overlay directory (`.kata/wrong/<phase>/<kata>/<name>/`,
 * holding the patched copy at its repository-relative path). The resolver
 * (harness/jest/resolver.cjs) sees that rootDir and serves the kata's solution
 * files from the copy; the test environment
 * (harness/jest/first-failure-environment.cjs) skips a project's remaining tests
 * after its first failure, since one red test is all a wrong solution needs.
 */
export interface WrongSolution {
  kata: string;
  /** File name without `.patch`: the behaviour it breaks. */
  name: string;
  /** Repository-relative path of the patch. */
  file: string;
  /** The patch's leading lines: what it breaks, and which spec should catch it. */
  description: string;
}

export interface WrongOutcome extends WrongSolution {
  status: 'caught' | 'survived' | 'does-not-apply' | 'not-run';
  /** The first failing test (caught), the survivor's test count, or the reason it did not run. */
  detail: string;
  /** Time its spec files ran, summed over workers. */
  specMs: number;
  /** The failing test, or the failing file with no test when the file failed outside its tests. */
  caughtBy?: { file: string; test: string[] };
  /** Caught by the test recorded as its catcher, without running the kata's other specs. */
  byCatcher?: boolean;
}

export interface WrongRun {
  outcomes: WrongOutcome[];
  elapsedMs: number;
  /** The Jest run's output when it could not report (crash, timeout). */
  jestOutput?: string;
  /** CPU seconds its Jest runs used (see child-cpu.ts); absent off Linux. */
  cpuSeconds?: number;
}

/**
 * A wrong solution is caught by a test that fails, and a good share of them fail by an
 * event that never comes (no echo, no ack, no disconnect): each then waited out the
 * harness's 10 s safety net (KATA_EVENT_TIMEOUT_MS), a third of the whole run's time spent
 * waiting. A shorter net can only fail a test sooner, never pass one that would fail; the
 * events a correct path waits for take milliseconds, so 4 s leaves room for a busy machine.
 */
const WRONG_RUN_ENV = { KATA_EVENT_TIMEOUT_MS: '4000' };

const overlaysRoot = (cwd: string) => path.join(cwd, '.kata', 'wrong');
const overlayOf = (cwd: string, wrong: WrongSolution) => path.join(overlaysRoot(cwd), wrong.kata, wrong.name);

/** Every wrong solution of the given katas, in kata order then by name. */
export function findWrongSolutions(cwd: string, katas: string[]): WrongSolution[] {
  return katas.flatMap((kata) => {
    const dir = path.join(cwd, 'solutions', kata, 'wrong');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.patch'))
      .sort()
      .map((f) => {
        const file = path.join('solutions', kata, 'wrong', f);
        return { kata, name: f.slice(0, -'.patch'.length), file, description: descriptionOf(fs.readFileSync(path.join(cwd, file), 'utf8')) };
      });
  });
}

/** The lines before the first `diff --git`, as one paragraph per blank-line group. */
export function descriptionOf(patch: string): string {
  const head = patch.split(/^diff --git /m)[0] ?? '';
  return head
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** The repository-relative paths a patch touches (both sides of every file header). */
export function pathsOf(patch: string): string[] {
  const paths = new Set<string>();
  for (const match of patch.matchAll(/^(?:---|\+\+\+) (?:[ab]\/)?(.+?)\t?$/gm)) {
    if (match[1] !== '/dev/null') paths.add(match[1]!);
  }
  for (const match of patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) {
    paths.add(match[1]!);
    paths.add(match[2]!);
  }
  return [...paths];
}

/**
 * Writes the patched copy of the kata's solution into the overlay. Returns
 * why it could not (the patch touches files outside the kata's solution, or
 * no longer applies), or undefined when the copy is ready.
 */
export function prepareOverlay(cwd: string, wrong: WrongSolution): string | undefined {
  const patchFile = path.join(cwd, wrong.file);
  const patch = fs.readFileSync(patchFile, 'utf8');
  const ownSource = path.join('solutions', wrong.kata, ownCode(wrong.kata)) + path.sep;
  const touched = pathsOf(patch);
  if (touched.length === 0) return 'it contains no file diff';
  const outside = touched.filter((p) => !path.normalize(p).startsWith(ownSource));
  if (outside.length > 0) return `it patches files outside ${ownSource}: ${outside.join(', ')}`;

  const overlay = overlayOf(cwd, wrong);
  fs.rmSync(overlay, { recursive: true, force: true });
  fs.cpSync(path.join(cwd, ownSource), path.join(overlay, ownSource), { recursive: true });
  // A spec may run the patched code in a child process, outside Jest's resolver: the
  // copy's relative imports (`../../../../lib/errors`) must reach the real files from
  // the overlay too, so the overlay links to the repository's other top-level folders.
  for (const entry of ['lib', 'harness', 'katas']) {
    if (fs.existsSync(path.join(cwd, entry))) fs.symlinkSync(path.join(cwd, entry), path.join(overlay, entry), 'dir');
  }
  // `--directory` prefixes every path in the patch, so it lands on the copy and
  // never on the real solution. Same tool and rules as an author's `git apply`.
  const applied = spawnSync('git', ['apply', '--whitespace=nowarn', `--directory=${path.relative(cwd, overlay)}`, patchFile], {
    cwd,
    encoding: 'utf8',
  });
  if (applied.error) return `git apply could not run: ${applied.error.message}`;
  if (applied.status !== 0) return `it no longer applies to the solution:\n${applied.stderr.trim()}`;
  return undefined;
}

/**
 * What a kata's wrong solutions patch: the reference code in `src/`, or in a testing kata
 * (phase 5, where the learner writes the tests) the reference tests in `tests/`: a wrong
 * solution there is a set of tests that must not earn the full grade.
 */
export function ownCode(kata: string): 'src' | 'tests' {
  return kata.startsWith('testing/') ? 'tests' : 'src';
}

/** How one wrong solution is run: all of its kata's specs, or only the test that caught it last time. */
interface WrongProject {
  wrong: WrongSolution;
  catcher?: Catcher;
}

const groupRootOf = (cwd: string, phase: string, index: number) => path.join(overlaysRoot(cwd), 'groups', phase, String(index));

/**
 * One Jest project per prepared wrong solution, and one per group of them (wrong-groups.ts);
 * everything else as jest.config.ts has it.
 */
function jestConfigFor(cwd: string, runs: WrongProject[], outputFile: string, groups: { phase: string; list: WrongGroup<WrongProject>[] }): object {
  const harnessJest = path.join(cwd, 'harness', 'jest');
  return {
    rootDir: cwd,
    globalSetup: path.join(harnessJest, 'global-setup.ts'),
    globalTeardown: path.join(harnessJest, 'global-teardown.ts'),
    reporters: [[path.join(harnessJest, 'outcome-reporter.cjs'), { outputFile }]],
    testTimeout: jestConfig.testTimeout,
    projects: runs.map(({ wrong, catcher }): object => {
      const overlay = overlayOf(cwd, wrong);
      const kataDir = path.join(cwd, 'katas', wrong.kata);
      return {
        displayName: `${wrong.kata} ✗ ${wrong.name}`,
        rootDir: overlay,
        roots: [kataDir],
        testMatch: catcher ? [path.join(cwd, catcher.spec)] : [`${kataDir}/**/*.spec.ts`],
        testEnvironment: path.join(harnessJest, 'first-failure-environment.cjs'),
        testEnvironmentOptions: { failureMarker: path.join(overlay, '.failed'), ...(catcher && catcher.test.length > 0 ? { onlyTest: catcher.test } : {}) },
        transform: jestConfig.transform,
        transformIgnorePatterns: jestConfig.transformIgnorePatterns,
        resolver: path.join(harnessJest, 'resolver.cjs'),
      };
    }).concat(
      groups.list.map((group, index) => {
        // Not an overlay: the resolver follows the group's current patch instead (wrong-group-runtime.cjs).
        const rootDir = groupRootOf(cwd, groups.phase, index);
        fs.mkdirSync(rootDir, { recursive: true });
        return {
          displayName: `${group.patches[0]!.item.wrong.kata} ✗ ${group.patches.length} patches, ${path.basename(group.spec)} (group ${index})`,
          rootDir,
          roots: [harnessJest],
          testMatch: [path.join(harnessJest, 'wrong-group.driver.cjs')],
          testEnvironment: path.join(harnessJest, 'first-failure-environment.cjs'),
          testEnvironmentOptions: { wrongGroup: groupOptions(cwd, group) },
          runtime: path.join(harnessJest, 'wrong-group-runtime.cjs'),
          transform: jestConfig.transform,
          transformIgnorePatterns: jestConfig.transformIgnorePatterns,
          resolver: path.join(harnessJest, 'resolver.cjs'),
        };
      }),
    ),
  };
}

/** One spec file's result in a wrong-solution run, as harness/jest/outcome-reporter.cjs writes it. */
export interface FileOutcome {
  project: string;
  file: string;
  durationMs: number;
  passed: number;
  failed: string[];
  failedPaths?: string[][];
  otherFailure: boolean;
  suiteError?: string;
}

/**
 * Applies every wrong solution and runs the specs against them, in at most two
 * Jest processes: first each patch against the test that caught it last time
 * (catchers.ts), then every patch still standing against all of its kata's
 * specs. `workers` defaults to twice what jest.config.ts uses on two cores: spec
 * files wait on sockets and servers as much as on the CPU (four workers took 7% less
 * time than three on 93 patches of four katas).
 */
export async function runWrongSolutions(
  cwd: string,
  wrongs: WrongSolution[],
  options: { workers?: number; timeoutMs?: number; useCatchers?: boolean } = {},
): Promise<WrongRun> {
  const started = performance.now();
  // Each overlay is written afresh (prepareOverlay), and each run's files below: the rest of
  // `.kata/wrong/` stays, since a harness test may be using an overlay of its own there.
  const outcomes = new Map<WrongSolution, WrongOutcome>();
  const ready: WrongSolution[] = [];
  for (const wrong of wrongs) {
    // A copy and a `git apply` each, synchronous: let the caller's other work on between them.
    await new Promise((resolve) => setImmediate(resolve));
    const problem = prepareOverlay(cwd, wrong);
    if (problem) outcomes.set(wrong, { ...wrong, status: 'does-not-apply', detail: problem, specMs: 0 });
    else ready.push(wrong);
  }

  const catchers = new Map<string, Catchers>();
  const catcherOf = (wrong: WrongSolution): Catcher | undefined => {
    if (options.useCatchers === false) return undefined;
    if (!catchers.has(wrong.kata)) catchers.set(wrong.kata, readCatchers(cwd, wrong.kata));
    const catcher = catchers.get(wrong.kata)![wrong.name];
    return catcher && fs.existsSync(path.join(cwd, catcher.spec)) ? catcher : undefined;
  };

  const outputs: string[] = [];
  let cpuSeconds: number | undefined;
  /** Patches whose group's control failed: their group's verdicts do not count, and they run alone. */
  const voided: WrongProject[] = [];
  const runJest = async (phase: string, runs: WrongProject[], groups: WrongGroup<WrongProject>[] = []) => {
    if (runs.length === 0 && groups.length === 0) return;
    const configFile = path.join(overlaysRoot(cwd), `jest.${phase}.config.json`);
    const outputFile = path.join(overlaysRoot(cwd), `outcomes.${phase}.jsonl`);
    fs.rmSync(path.join(overlaysRoot(cwd), 'groups', phase), { recursive: true, force: true });
    fs.writeFileSync(configFile, JSON.stringify(jestConfigFor(cwd, runs, outputFile, { phase, list: groups }), null, 2));
    // A run that crashed before its reporter started must not leave the last run's lines to be read.
    fs.rmSync(outputFile, { force: true });
    const result = await runCommand(path.join(cwd, 'node_modules', '.bin', 'jest'), ['--ci', '--config', configFile, `--maxWorkers=${options.workers ?? 4}`], {
      cwd,
      env: { KATA_TARGET: 'solutions', KATA_QUIET: '1', ...WRONG_RUN_ENV },
      // A hang net, as verify's: all 340 patches take 6 to 8 minutes on an idle 2-core machine.
      timeoutMs: options.timeoutMs ?? 15 * 60_000,
    });
    if (result.cpuSeconds !== undefined) cpuSeconds = (cpuSeconds ?? 0) + result.cpuSeconds;
    const files = fs.existsSync(outputFile)
      ? fs
          .readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as FileOutcome)
      : [];
    const record = ({ wrong, catcher }: WrongProject) => {
      const outcome = judge(wrong, files.filter((f) => f.project === overlayOf(cwd, wrong)));
      // A catcher that no longer catches is not a verdict: the full run decides.
      if (catcher && outcome.status !== 'caught') return;
      outcomes.set(wrong, { ...outcome, byCatcher: Boolean(catcher) });
    };
    runs.forEach(record);
    groups.forEach((group, index) => {
      const members = group.patches.map(({ item }) => item);
      const control = files.find((f) => f.project === groupRootOf(cwd, phase, index));
      if (control && control.failed.length === 0 && !control.suiteError && !control.otherFailure && control.passed > 0) members.forEach(record);
      else voided.push(...members);
    });
    if (files.length === 0 || runs.some(({ wrong }) => outcomes.get(wrong)?.status === 'not-run')) outputs.push(result.output);
  };

  const hinted = ready.flatMap((wrong) => {
    const catcher = catcherOf(wrong);
    return catcher ? [{ wrong, catcher }] : [];
  });
  // A testing kata's grader reads the patched tests from the overlay its project names
  // (KATA_WRONG_OVERLAY, kataCodeDir()); a group's project names none, so those run alone.
  const testsPatches = hinted.filter(({ wrong }) => ownCode(wrong.kata) === 'tests');
  const groupable = hinted.filter(({ wrong }) => ownCode(wrong.kata) === 'src');
  const { groups, alone } = planGroups(groupable.map((run) => ({ item: run, name: run.wrong.name, overlay: overlayOf(cwd, run.wrong), catcher: run.catcher })));
  await runJest('catchers', [...alone, ...testsPatches], groups);
  // A group whose control failed proves nothing about its patches: each runs its catcher alone.
  await runJest('catchers-alone', voided.splice(0));
  for (const { wrong } of hinted) {
    // The failure marker of the first run would skip every test of the second.
    if (!outcomes.has(wrong)) fs.rmSync(path.join(overlayOf(cwd, wrong), '.failed'), { force: true });
  }
  await runJest(
    'all-specs',
    ready.filter((wrong) => !outcomes.has(wrong)).map((wrong) => ({ wrong })),
  );

  return {
    outcomes: wrongs.map((w) => outcomes.get(w)!),
    elapsedMs: Math.round(performance.now() - started),
    jestOutput: outputs.length > 0 ? outputs.join('\n') : undefined,
    cpuSeconds,
  };
}

/** The test that caught each wrong solution, as catchers.ts records it. */
export function catchersFound(cwd: string, outcomes: WrongOutcome[]): Map<string, Catchers> {
  const found = new Map<string, Catchers>();
  for (const outcome of outcomes) {
    if (!outcome.caughtBy) continue;
    const kataCatchers = found.get(outcome.kata) ?? {};
    kataCatchers[outcome.name] = { spec: catcherSpec(cwd, outcome.caughtBy.file), test: outcome.caughtBy.test };
    found.set(outcome.kata, kataCatchers);
  }
  return found;
}

/** A wrong solution's verdict from its spec files' results: the first failing test, else a file that failed to run, else survived. */
export function judge(wrong: WrongSolution, files: FileOutcome[]): WrongOutcome {
  const specMs = files.reduce((sum, f) => sum + f.durationMs, 0);
  if (files.length === 0) return { ...wrong, status: 'not-run', detail: 'no spec file reported a result', specMs };
  const failing = files.find((f) => f.failed.length > 0);
  if (failing) {
    const test = failing.failedPaths?.[0];
    return { ...wrong, status: 'caught', detail: failing.failed[0]!, specMs, caughtBy: test ? { file: failing.file, test } : undefined };
  }
  const broken = files.find((f) => f.suiteError || f.otherFailure);
  if (broken) {
    const why = broken.suiteError ? `${path.basename(broken.file)} failed to run: ${broken.suiteError.split('\n')[0]}` : `${path.basename(broken.file)} failed outside a test`;
    return { ...wrong, status: 'caught', detail: why, specMs, caughtBy: { file: broken.file, test: [] } };
  }
  const passed = files.reduce((sum, f) => sum + f.passed, 0);
  return { ...wrong, status: 'survived', detail: `all ${passed} tests passed`, specMs };
}

/** caught / written per kata, in the order given. */
export function scoreByKata(outcomes: WrongOutcome[]): Map<string, { caught: number; written: number }> {
  const scores = new Map<string, { caught: number; written: number }>();
  for (const outcome of outcomes) {
    const score = scores.get(outcome.kata) ?? { caught: 0, written: 0 };
    score.written += 1;
    if (outcome.status === 'caught') score.caught += 1;
    scores.set(outcome.kata, score);
  }
  return scores;
}
