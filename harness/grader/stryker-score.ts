import fs from 'node:fs';
import path from 'node:path';
import type { StrykerGrade } from './stryker-grade';

/**
 * The latest StrykerJS score of a kata graded by Stryker, kept for `npm run kata -- list`:
 * the other testing katas' scores are counted from their grade spec's one test per
 * mutant, but Stryker's mutants are only known once it ran, so the grader records them.
 */
export interface StrykerScore {
  /** Mutants killed (or timed out). */
  caught: number;
  /** Mutants that count: not ignored, not a compile or runtime error. */
  total: number;
}

function scoreFile(cwd: string, kataId: string): string {
  return path.join(cwd, '.kata', 'mutation', `score.${kataId.replace(/\//g, '.')}.json`);
}

/** Writes the score of a learner's grading (never of the reference tests: not the learner's progress). */
export function recordStrykerScore(cwd: string, kataId: string, grade: StrykerGrade): void {
  const file = scoreFile(cwd, kataId);
  const score: StrykerScore = { caught: grade.score.detected, total: grade.score.valid };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(score) + '\n');
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

/** The recorded score, or null when the kata was never graded by Stryker here. */
export function readStrykerScore(cwd: string, kataId: string): StrykerScore | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(scoreFile(cwd, kataId), 'utf8')) as Partial<StrykerScore>;
    return typeof parsed.caught === 'number' && typeof parsed.total === 'number' ? { caught: parsed.caught, total: parsed.total } : null;
  } catch {
    return null;
  }
}

/** Forgets the recorded score (`kata reset`: the tests it measured are gone). */
export function forgetStrykerScore(cwd: string, kataId: string): void {
  fs.rmSync(scoreFile(cwd, kataId), { force: true });
}
