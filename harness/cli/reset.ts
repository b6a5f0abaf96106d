import fs from 'node:fs';
import path from 'node:path';
import { learnerFolder } from '../catalog';
import { ResetNotConfirmedError, StarterManifestMissingError, StarterUnavailableError } from './errors';
import { filesUnder, findKata, type VerbOptions } from './project';
import { forgetGraderCatchers } from '../grader/catchers-file';
import { forgetStrykerScore } from '../grader/stryker-score';
import { forgetHints } from './hint';
import { markNotRun } from './progress';
import { blobId, manifestPath, readManifest, rememberStarters, starterBytes } from './starters';

export interface ResetPlan {
  kata: string;
  /** `src/…` files whose content differs from the shipped starter (or are missing). */
  restore: string[];
  /** `src/…` files the starter did not ship: removed so `src/` is exactly as shipped. */
  remove: string[];
}

export interface ResetResult extends ResetPlan {
  /** False when the confirmation was declined: nothing was changed. */
  applied: boolean;
}

export interface ResetOptions extends VerbOptions {
  kata: string;
  /** Skip the confirmation (`--yes`). */
  yes?: boolean;
  /** Asks the person; receives what would change. */
  confirm?: (plan: ResetPlan) => Promise<boolean>;
}

/** What a reset of this kata would change, without changing anything. */
export function planReset(options: VerbOptions, kataName: string): ResetPlan & { content: Map<string, Buffer> } {
  const ref = findKata(options, kataName);
  const shipped = readManifest(options.cwd)[ref.id];
  if (!shipped) throw new StarterManifestMissingError(ref.id, path.relative(options.cwd, manifestPath(options.cwd)));
  rememberStarters(options.cwd);
  const content = new Map<string, Buffer>();
  const restore: string[] = [];
  const unavailable: string[] = [];
  for (const [file, id] of Object.entries(shipped)) {
    const target = path.join(ref.dir, ...file.split('/'));
    const current = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
    if (current && blobId(current) === id) continue;
    const bytes = starterBytes(options.cwd, id);
    if (!bytes) unavailable.push(file);
    else content.set(file, bytes);
    restore.push(file);
  }
  if (unavailable.length > 0) throw new StarterUnavailableError(ref.id, unavailable);
  const folder = learnerFolder(ref.id);
  const remove = filesUnder(path.join(ref.dir, folder))
    .map((file) => `${folder}/${file}`)
    .filter((file) => shipped[file] === undefined);
  return { kata: ref.id, restore, remove, content };
}

/**
 * `kata reset <kata>`: restores every file of the kata's `src/` exactly as
 * shipped, forgets the hints revealed for it and its recorded mutation score, and touches nothing else (specs,
 * other katas, git state). Works with
 * or without commits on top of the starter (see starters.ts for the source).
 *
 * @example
 *   await reset({ cwd, kata: 'errors/async-errors', yes: true });
 */
export async function reset(options: ResetOptions): Promise<ResetResult> {
  const { content, ...plan } = planReset(options, options.kata);
  if (plan.restore.length === 0 && plan.remove.length === 0) {
    // Already the starter: starting over still means starting the hints (and a mutation score) over.
    forgetLearnerState(options.cwd, plan.kata);
    return { ...plan, applied: true };
  }
  if (!options.yes) {
    if (!options.confirm) throw new ResetNotConfirmedError(plan.kata);
    if (!(await options.confirm(plan))) return { ...plan, applied: false };
  }
  const ref = findKata(options, plan.kata);
  for (const [file, bytes] of content) {
    const target = path.join(ref.dir, ...file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
  }
  for (const file of plan.remove) fs.rmSync(path.join(ref.dir, ...file.split('/')));
  removeEmptyFolders(path.join(ref.dir, learnerFolder(ref.id)));
  markNotRun(options.cwd, ref.id);
  forgetLearnerState(options.cwd, ref.id);
  return { ...plan, applied: true };
}

/** The hints revealed, a StrykerJS score and the grader's record of catchers (they were about the tests a reset restores away). */
function forgetLearnerState(cwd: string, kata: string): void {
  forgetHints(cwd, kata);
  forgetStrykerScore(cwd, kata);
  forgetGraderCatchers(cwd, kata);
}

function removeEmptyFolders(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    removeEmptyFolders(child);
    if (fs.readdirSync(child).length === 0) fs.rmdirSync(child);
  }
}
