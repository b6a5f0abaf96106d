import fs from 'node:fs';
import path from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { browserEngines, type BrowserEngine } from '../browser/engines';
import { projectRoot } from '../config';

/**
 * A mutant: a wrong version of a testing kata's app, one realistic bug.
 * `katas/testing/<kata>/mutants/<name>.patch` is a unified diff against the
 * kata's `src/` (as `git diff` writes it, paths from the repository root); the
 * first paragraph before the first `diff --git` says in words what it breaks
 * ("a discount applied twice when two coupons stack"): what a learner sees when
 * their tests let the mutant live. Further paragraphs are notes for authors; in a
 * browser kata, a line `Engines: webkit` among them says the bug lives in those
 * engines only (see `engines`).
 */
export interface Mutant {
  /** The file name without `.patch`: the bug, named (`discount-applied-twice`). */
  name: string;
  /** The behaviour broken, in words, without the code. */
  behaviour: string;
  /** Absolute path of the patch file. */
  file: string;
  /**
   * The browser engines the bug shows in, when it lives in some only (`Engines:` in the
   * notes). A browser kata's grading runs such a mutant in those engines alone, and any
   * other mutant in its first engine alone: the same tests run unchanged in every engine
   * (forEachBrowser), so a bug every engine shares is caught in one as in all three.
   */
  engines?: BrowserEngine[];
}

/** Thrown when a mutant patch is malformed or no longer applies to the app. */
export class MutantPatchError extends Error {
  readonly code = 'KATA_MUTANT_INVALID';
  constructor(file: string, reason: string) {
    super(`Mutant ${path.relative(projectRoot, file)}: ${reason}`);
    this.name = 'MutantPatchError';
  }
}

const patchStart = /^diff --git /m;

/** The mutants of a kata, sorted by name; none when the kata has no `mutants/` folder. */
export function readMutants(kataDir: string): Mutant[] {
  const dir = path.join(kataDir, 'mutants');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.patch'))
    .sort()
    .map((file) => {
      const absolute = path.join(dir, file);
      const text = fs.readFileSync(absolute, 'utf8');
      const start = text.search(patchStart);
      if (start < 0) throw new MutantPatchError(absolute, 'no "diff --git" section.');
      // The first paragraph is what the learner sees; later ones are notes for authors.
      const behaviour = (text.slice(0, start).trim().split(/\n\s*\n/)[0] ?? '').replace(/\s+/g, ' ');
      if (!behaviour) throw new MutantPatchError(absolute, 'the lines before the diff must say what it breaks.');
      const engines = enginesOf(absolute, text.slice(0, start));
      return { name: file.slice(0, -'.patch'.length), behaviour, file: absolute, ...(engines ? { engines } : {}) };
    });
}

/** The engines an `Engines: webkit, firefox` line of the notes names, if there is one. */
function enginesOf(file: string, notes: string): BrowserEngine[] | undefined {
  const line = /^Engines:(.*)$/m.exec(notes);
  if (!line) return undefined;
  const names = line[1]!.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(browserEngines as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new MutantPatchError(file, `"Engines:" names ${unknown.map((name) => `"${name}"`).join(', ')}; the engines are ${browserEngines.join(', ')}.`);
  }
  return names as BrowserEngine[];
}

/**
 * Writes the patched files of `mutant` under `targetDir`, at their paths
 * relative to the kata folder (`<targetDir>/src/pricing.ts`); the app itself is
 * never touched. Only files under the kata's `src/` may be patched.
 *
 * @example
 *   writeMutant(kataDir, readMutants(kataDir)[0], '/tmp/grade/discount-applied-twice');
 */
export function writeMutant(kataDir: string, mutant: Mutant, targetDir: string): string[] {
  return patchedFiles(kataDir, mutant).map(({ relative, text }) => writeFile(path.join(targetDir, relative), text));
}

/** The mutant's patched files, at their paths relative to the kata folder. */
export function patchedFiles(kataDir: string, mutant: Mutant): { relative: string; text: string }[] {
  const text = fs.readFileSync(mutant.file, 'utf8');
  const filePatches = parsePatch(text.slice(text.search(patchStart)));
  const srcDir = path.join(kataDir, 'src') + path.sep;
  const files: { relative: string; text: string }[] = [];
  for (const filePatch of filePatches) {
    const name = (filePatch.oldFileName ?? '').replace(/^a\//, '');
    const original = path.join(projectRoot, name);
    if (!original.startsWith(srcDir)) {
      throw new MutantPatchError(mutant.file, `patches "${name}", outside ${path.relative(projectRoot, srcDir)}.`);
    }
    if (!fs.existsSync(original)) throw new MutantPatchError(mutant.file, `"${name}" does not exist.`);
    const patched = applyPatch(fs.readFileSync(original, 'utf8'), filePatch);
    if (patched === false) throw new MutantPatchError(mutant.file, `no longer applies to "${name}"; regenerate it with git diff.`);
    files.push({ relative: path.relative(kataDir, original), text: patched });
  }
  if (files.length === 0) throw new MutantPatchError(mutant.file, 'changes no file.');
  return files;
}

function writeFile(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

