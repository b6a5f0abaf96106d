import fs from 'node:fs';
import path from 'node:path';
import type { KataTarget } from '../config';

/**
 * Where a testing kata's grader records which test caught each mutant (grade.ts):
 * for the reference tests, beside them in `solutions/testing/<kata>/caught-by.json`
 * (committed, so a fresh clone's verify runs each mutant's catcher first); for the
 * learner's tests, under `.kata/grader/`, out of their folder and forgotten by
 * `kata reset`.
 */
export function graderCatchersFile(cwd: string, kataId: string, target: KataTarget): string {
  return target === 'solutions'
    ? path.join(cwd, 'solutions', kataId, 'caught-by.json')
    : path.join(cwd, '.kata', 'grader', `caught-by.${kataId.replace(/\//g, '.')}.json`);
}

/** Forgets what caught what in the learner's tests (`kata reset`: those tests are gone). */
export function forgetGraderCatchers(cwd: string, kataId: string): void {
  fs.rmSync(graderCatchersFile(cwd, kataId, 'katas'), { force: true });
}
