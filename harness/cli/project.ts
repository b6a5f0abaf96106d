import fs from 'node:fs';
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import { readCatalog, type Catalog, type CatalogKata, type CatalogPhase } from '../catalog';
import { CatalogMissingError, UnknownKataError } from './errors';

/** What every verb receives: the project folder it works on. Tests pass a fixture project. */
export interface VerbOptions {
  cwd: string;
}

/** One kata located on disk. */
export interface KataRef {
  id: string;
  phase: CatalogPhase;
  kata: CatalogKata;
  /** Position in learning order, 0-based. */
  index: number;
  /** `katas/<phase>/<kata>` (absolute). */
  dir: string;
  /** `solutions/<phase>/<kata>` (absolute). */
  solutionDir: string;
}

export function catalogPath(cwd: string): string {
  return path.join(cwd, 'katas', 'catalog.json');
}

export function loadCatalog(cwd: string): Catalog {
  const file = catalogPath(cwd);
  try {
    return readCatalog(file);
  } catch (error) {
    throw new CatalogMissingError(file, error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

/** Every kata in learning order, with its folders. */
export function allKatas(cwd: string, catalog = loadCatalog(cwd)): KataRef[] {
  const refs: KataRef[] = [];
  for (const phase of catalog.phases) {
    for (const kata of phase.katas) {
      refs.push({
        id: kata.id,
        phase,
        kata,
        index: refs.length,
        dir: path.join(cwd, 'katas', ...kata.id.split('/')),
        solutionDir: path.join(cwd, 'solutions', ...kata.id.split('/')),
      });
    }
  }
  return refs;
}

/**
 * Finds a kata by id, or by its last segment when that is unambiguous
 * (`jwt` → `auth/jwt`). Unknown names throw with the closest ids.
 *
 * @example
 *   findKata({ cwd }, 'auth/jtw') // throws UnknownKataError: did you mean `auth/jwt`?
 */
export function findKata(options: VerbOptions, requested: string, catalog = loadCatalog(options.cwd)): KataRef {
  const katas = allKatas(options.cwd, catalog);
  const wanted = requested.replace(/\\/g, '/').replace(/^katas\//, '').replace(/\/+$/, '');
  const exact = katas.find((k) => k.id === wanted);
  if (exact) return exact;
  const byName = katas.filter((k) => k.id.split('/').pop() === wanted);
  if (byName.length === 1) return byName[0]!;
  throw new UnknownKataError(requested, closestIds(wanted, katas.map((k) => k.id)));
}

/** Up to three ids within a small edit distance of `wanted`, closest first. */
export function closestIds(wanted: string, ids: string[]): string[] {
  const scored = ids.map((id) => {
    const whole = distance(wanted, id);
    const tail = distance(wanted, id.split('/').pop()!);
    // A truncated name (`errors/async`, `cache`) is a near miss however many letters are missing.
    const truncated = wanted.length >= 3 && (id.startsWith(wanted) || id.split('/').pop()!.startsWith(wanted));
    return { id, score: truncated ? 1 : Math.min(whole, tail) };
  });
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((s) => s.id);
}

/** Every file under `dir`, as `/`-separated paths relative to `dir`, sorted. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The kata's spec files (`*.spec.ts` / `*.spec.js`), relative to the project. */
export function specFiles(cwd: string, kata: KataRef): string[] {
  return filesUnder(kata.dir)
    .filter((file) => !file.startsWith('src/') && /\.spec\.[cm]?[jt]s$/.test(file))
    .map((file) => path.relative(cwd, path.join(kata.dir, file)).split(path.sep).join('/'));
}

/**
 * The files the learner edits: the kata's `src/` files that still hold a
 * `TODO`, with how many (every `src/` file, with 0, once none is left); those
 * named in `mentionedIn` (the step's task) first.
 */
export function workFiles(cwd: string, kata: KataRef, mentionedIn = ''): Array<{ file: string; todos: number }> {
  const src = path.join(kata.dir, 'src');
  const files = filesUnder(src).map((name) => ({
    name,
    file: path.relative(cwd, path.join(src, name)).split(path.sep).join('/'),
    todos: (fs.readFileSync(path.join(src, name), 'utf8').match(/\bTODO\b/g) ?? []).length,
  }));
  const open = files.filter((f) => f.todos > 0);
  // Files the step's task names come first: they are where this step's work is.
  const mentioned = (f: { name: string }) => (mentionedIn.includes(f.name) ? 0 : 1);
  return (open.length > 0 ? open : files).sort((a, b) => mentioned(a) - mentioned(b)).map(({ file, todos }) => ({ file, todos }));
}

/**
 * How long a run of `kata` may go without news before the watchdog stops it.
 * A kata graded by StrykerJS (a `stryker.config.mjs` in its folder) is silent
 * while Stryker runs every mutant in processes of its own, a minute or more on
 * a busy machine, so it gets fifteen times the limit.
 */
export function runTimeLimitFor(kata: KataRef, limitMs: number): number {
  return fs.existsSync(path.join(kata.dir, 'stryker.config.mjs')) ? limitMs * 15 : limitMs;
}
