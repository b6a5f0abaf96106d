import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './config';

/**
 * One step of a kata: a small problem with its own green. Its specs are the
 * tests under the top-level `describe()` whose name is exactly `name`
 * (`"1. Accept the handshake"`); one step may span several spec files.
 * Watch mode runs one step at a time with Jest's name filter.
 */
export interface CatalogStep {
  /** `"<n>. <title>"`, numbered from 1 in order; the exact top-level describe() name. */
  name: string;
  /** What to do in this step, in one to three sentences. */
  task: string;
  /**
   * One to three progressive hints, shown one at a time and nowhere else. The
   * last may be nearly the answer; code goes in a fenced block with real newlines.
   */
  hints: string[];
}

/** One kata as `katas/catalog.json` describes it; order in the file is the learning order. */
export interface CatalogKata {
  id: string;
  title: string;
  goals: string[];
  /** Ordered steps (3–6). Every kata has them; see docs/architecture.md, "Steps". */
  steps?: CatalogStep[];
  /** Kata-wide hints of katas not yet split into steps (being migrated; new katas use steps). */
  hints?: string[];
}

export interface CatalogPhase {
  id: string;
  title: string;
  summary: string;
  katas: CatalogKata[];
}

export interface Catalog {
  phases: CatalogPhase[];
}

export const catalogFile = path.join(projectRoot, 'katas', 'catalog.json');

export function readCatalog(file = catalogFile): Catalog {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
}

/** Every kata id (`errors/async-errors`, …) in learning order. */
export function kataIds(catalog: Catalog = readCatalog()): string[] {
  return catalog.phases.flatMap((phase) => phase.katas.map((kata) => kata.id));
}

/**
 * The folder of a kata that the learner edits, and that `solutions/` mirrors:
 * `src/`, except in the testing phase, where `src/` is the system under test
 * (given, correct, never copied to solutions/) and the learner writes `tests/`.
 */
export function learnerFolder(kataId: string): 'src' | 'tests' {
  return kataId.startsWith('testing/') ? 'tests' : 'src';
}
