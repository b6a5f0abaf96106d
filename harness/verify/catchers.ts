import fs from 'node:fs';
import path from 'node:path';

/**
 * Which test caught each wrong solution last time, per kata, in
 * `solutions/<phase>/<kata>/wrong/caught-by.json`. `npm run wrong` writes it;
 * authors commit it with their patches.
 *
 * It is an order, never a verdict: a wrong solution counts as caught only when a
 * test fails in this run. Verify first runs each patch against the one test that
 * caught it last time (one spec file loaded instead of all of the kata's, the
 * other describe blocks and their hooks skipped), and the patches that test no
 * longer catches, or that have no recorded catcher, then run every spec of their
 * kata as before.
 */
export interface Catcher {
  /** Repository-relative path of the spec file, with forward slashes. */
  spec: string;
  /**
   * The test's describe names, outermost first, then its own name. Empty when the
   * spec file failed outside any test (an error thrown where no test awaited it):
   * the whole file runs, still one file instead of all of the kata's.
   */
  test: string[];
}

export type Catchers = Record<string, Catcher>;

/** How a catcher names its spec file: the path under `root` (the repository, or a grader's tests folder), with forward slashes. */
export function catcherSpec(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

const catchersFile = (cwd: string, kata: string) => path.join(cwd, 'solutions', kata, 'wrong', 'caught-by.json');

export function readCatchers(cwd: string, kata: string): Catchers {
  return readCatchersFile(catchersFile(cwd, kata));
}

/** The catchers recorded in `file`; none when it is missing or no longer parses. */
export function readCatchersFile(file: string): Catchers {
  if (!fs.existsSync(file)) return {};
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return isCatchers(parsed) ? parsed : {};
  } catch {
    // A hand-edited file that no longer parses only costs the full run.
    return {};
  }
}

/**
 * Records `found` for the kata, keeping earlier catchers of patches that still
 * exist but were not caught by a named test this time, dropping those of
 * deleted patches. Written sorted, so a re-run that changes nothing leaves no diff.
 */
export function writeCatchers(cwd: string, kata: string, found: Catchers, patches: string[]): void {
  const merged: Catchers = {};
  const previous = readCatchers(cwd, kata);
  for (const name of [...patches].sort()) {
    const catcher = found[name] ?? previous[name];
    if (catcher) merged[name] = catcher;
  }
  writeCatchersFile(catchersFile(cwd, kata), merged);
}

/** Writes `catchers` sorted by name (a re-run that changes nothing leaves no diff); none: the file goes. */
export function writeCatchersFile(file: string, catchers: Catchers): void {
  if (Object.keys(catchers).length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  const sorted = Object.fromEntries(Object.entries(catchers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = `${JSON.stringify(sorted, null, 2)}\n`;
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function isCatchers(value: unknown): value is Catchers {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (c: unknown) =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Catcher).spec === 'string' &&
      Array.isArray((c as Catcher).test) &&
      (c as Catcher).test.every((n) => typeof n === 'string'),
  );
}
