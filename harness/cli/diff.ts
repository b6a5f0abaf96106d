import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { learnerFolder } from '../catalog';
import { NoSolutionError, SolutionNotConfirmedError } from './errors';
import { filesUnder, findKata, type VerbOptions } from './project';
import { runSpecs, type SpecRunner, type SpecStatus } from './run-specs';

export interface FileDiff {
  /** `src/…` relative to the kata. */
  file: string;
  state: 'same' | 'changed' | 'only-yours' | 'only-solution';
  /** Unified diff (yours → solution); empty when the file is the same. */
  patch: string;
}

export interface SpecComparison {
  name: string;
  yours: SpecStatus | 'not run';
  solution: SpecStatus | 'not run';
}

export interface DiffResult {
  kata: string;
  files: FileDiff[];
  /** Every spec of the kata with its result on your code and on the solution. */
  specs: SpecComparison[];
  /** Spec files that failed to load, per side. */
  suiteErrors: { yours: string[]; solution: string[] };
}

export interface DiffOptions extends VerbOptions {
  kata: string;
  /** Skip running the specs (file diff only). */
  noSpecs?: boolean;
  runner?: SpecRunner;
  /** Show the solution without asking, even the first time. */
  yes?: boolean;
  /**
   * Asked the first time this kata's solution would be shown (it gives the
   * kata away); no answer, or none asked, refuses with SolutionNotConfirmedError.
   */
  confirm?: (kata: string) => Promise<boolean>;
}

function seenFile(cwd: string): string {
  return path.join(cwd, '.kata', 'solutions-seen.json');
}

/** Katas whose solution the learner already chose to see. */
function readSeen(cwd: string): string[] {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(seenFile(cwd), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Asks once per kata before its solution is shown; remembers a yes. */
async function confirmSolution(options: DiffOptions, kata: string): Promise<void> {
  const seen = readSeen(options.cwd);
  if (seen.includes(kata)) return;
  const yes = options.yes || (options.confirm ? await options.confirm(kata) : false);
  if (!yes) throw new SolutionNotConfirmedError(kata);
  fs.mkdirSync(path.dirname(seenFile(options.cwd)), { recursive: true });
  fs.writeFileSync(seenFile(options.cwd), JSON.stringify([...seen, kata], null, 2) + '\n');
}

/**
 * `kata diff <kata>`: your `src/` against the solution's as unified diffs, then
 * the kata's specs run on both so you see which tests each one passes. The
 * first time for each kata it asks (`confirm`) or needs `yes`: the solution
 * gives the kata away.
 *
 * @example
 *   const { files, specs } = await diff({ cwd, kata: 'errors/global-handler' });
 */
export async function diff(options: DiffOptions): Promise<DiffResult> {
  const ref = findKata(options, options.kata);
  const folder = learnerFolder(ref.id);
  const solutionSrc = path.join(ref.solutionDir, folder);
  if (!fs.existsSync(solutionSrc)) throw new NoSolutionError(ref.id, path.relative(options.cwd, solutionSrc));
  await confirmSolution(options, ref.id);
  const yoursSrc = path.join(ref.dir, folder);
  const names = [...new Set([...filesUnder(yoursSrc), ...filesUnder(solutionSrc)])].sort();
  const files = names.map((name): FileDiff => {
    const a = path.join(yoursSrc, name);
    const b = path.join(solutionSrc, name);
    const yours = fs.existsSync(a) ? fs.readFileSync(a, 'utf8') : undefined;
    const solution = fs.existsSync(b) ? fs.readFileSync(b, 'utf8') : undefined;
    const file = `${folder}/${name}`;
    // Starter files the solution did not need to change are not copied into solutions/.
    if (solution === undefined) return { file, state: 'only-yours', patch: '' };
    if (yours === solution) return { file, state: 'same', patch: '' };
    const patch = createTwoFilesPatch(`yours/${file}`, `solution/${file}`, yours ?? '', solution, undefined, undefined, { context: 3 });
    return { file, state: yours === undefined ? 'only-solution' : 'changed', patch };
  });

  if (options.noSpecs) return { kata: ref.id, files, specs: [], suiteErrors: { yours: [], solution: [] } };
  const runner = options.runner ?? runSpecs;
  // One after the other: two cores, and each run boots its own infrastructure.
  const yours = await runner({ cwd: options.cwd, kata: ref, target: 'katas' });
  const solution = await runner({ cwd: options.cwd, kata: ref, target: 'solutions' });
  const specNames = [...new Set([...yours.tests.map((t) => t.name), ...solution.tests.map((t) => t.name)])];
  const status = (run: typeof yours, name: string) => run.tests.find((t) => t.name === name)?.status ?? 'not run';
  return {
    kata: ref.id,
    files,
    specs: specNames.map((name) => ({ name, yours: status(yours, name), solution: status(solution, name) })),
    suiteErrors: {
      yours: yours.suiteErrors.map((e) => `${e.file}: ${e.message.split('\n')[0]}`),
      solution: solution.suiteErrors.map((e) => `${e.file}: ${e.message.split('\n')[0]}`),
    },
  };
}
